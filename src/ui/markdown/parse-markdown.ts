/**
 * A small Markdown parser for chat text: paragraphs, headings, emphasis, strikethrough, inline code, fenced code,
 * lists (nested by indentation), block quotes, rules, pipe tables and http(s) links. It produces a tree of plain
 * data, never HTML: the renderer turns text into text nodes, so any markup in a message stays visible text.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong' | 'em' | 'del'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'break' }

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; level: number; children: Inline[] }
  | { type: 'code'; language: string; text: string }
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { type: 'quote'; children: Block[] }
  | { type: 'rule' }
  | { type: 'table'; header: Inline[][]; rows: Inline[][][] }

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])\s+(.*)$/
const QUOTE = /^ {0,3}>\s?(.*)$/
const TABLE_DIVIDER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/

/** Parses Markdown text into blocks. */
export function parseMarkdown(text: string): Block[] {
  return parseBlocks(text.replace(/\r\n?/g, '\n').split('\n'))
}

function parseBlocks(lines: string[]): Block[] {
  const blocks: Block[] = []
  let index = 0
  while (index < lines.length) {
    const line = lines[index]!
    if (line.trim() === '') {
      index++
      continue
    }
    const fence = FENCE.exec(line)
    if (fence) {
      const marker = fence[1]!
      const body: string[] = []
      index++
      // An unclosed fence (a reply still streaming) runs to the end, as a code block should while typing.
      while (index < lines.length && !lines[index]!.trimStart().startsWith(marker)) body.push(lines[index++]!)
      index++
      blocks.push({ type: 'code', language: fence[2] ?? '', text: body.join('\n') })
      continue
    }
    const heading = HEADING.exec(line)
    if (heading) {
      blocks.push({ type: 'heading', level: heading[1]!.length, children: parseInline(heading[2]!) })
      index++
      continue
    }
    if (RULE.test(line)) {
      blocks.push({ type: 'rule' })
      index++
      continue
    }
    if (QUOTE.test(line)) {
      const quoted: string[] = []
      while (index < lines.length && QUOTE.test(lines[index]!)) quoted.push(QUOTE.exec(lines[index++]!)![1]!)
      blocks.push({ type: 'quote', children: parseBlocks(quoted) })
      continue
    }
    if (LIST_ITEM.test(line)) {
      index = parseList(lines, index, blocks)
      continue
    }
    if (line.includes('|') && index + 1 < lines.length && TABLE_DIVIDER.test(lines[index + 1]!) && lines[index + 1]!.includes('-')) {
      const header = splitRow(line)
      const rows: Inline[][][] = []
      index += 2
      while (index < lines.length && lines[index]!.includes('|') && lines[index]!.trim() !== '') rows.push(splitRow(lines[index++]!))
      blocks.push({ type: 'table', header, rows })
      continue
    }
    const paragraph: string[] = []
    while (index < lines.length && lines[index]!.trim() !== '' && !startsBlock(lines[index]!)) paragraph.push(lines[index++]!.trim())
    if (paragraph.length === 0) paragraph.push(lines[index++]!.trim())
    blocks.push({ type: 'paragraph', children: joinLines(paragraph) })
  }
  return blocks
}

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || LIST_ITEM.test(line)
}

/** Reads consecutive items of one list; deeper-indented lines belong to the current item and parse recursively. */
function parseList(lines: string[], start: number, blocks: Block[]): number {
  const first = LIST_ITEM.exec(lines[start]!)!
  const ordered = /\d/.test(first[2]!)
  const baseIndent = first[1]!.length
  const items: Block[][] = []
  let current: string[] | undefined
  let index = start
  while (index < lines.length) {
    const line = lines[index]!
    const item = LIST_ITEM.exec(line)
    if (item && item[1]!.length <= baseIndent + 1 && /\d/.test(item[2]!) === ordered) {
      if (current) items.push(parseBlocks(current))
      current = [item[3]!]
      index++
      continue
    }
    if (line.trim() === '') {
      // A blank line ends the list unless the next line is indented into the item or is another item.
      const next = lines[index + 1]
      if (next === undefined || !(/^\s{2,}\S/.test(next) || (LIST_ITEM.exec(next)?.[1]!.length ?? 99) <= baseIndent + 1)) break
      current?.push('')
      index++
      continue
    }
    if (/^\s{2,}/.test(line)) {
      current?.push(line.replace(/^\s{2,4}/, ''))
      index++
      continue
    }
    if (item || startsBlock(line)) break
    current?.push(line.trim())
    index++
  }
  if (current) items.push(parseBlocks(current))
  blocks.push({ type: 'list', ordered, start: ordered ? Number.parseInt(first[2]!, 10) : 1, items })
  return index
}

function splitRow(line: string): Inline[][] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => parseInline(cell.trim()))
}

function joinLines(lines: string[]): Inline[] {
  const result: Inline[] = []
  lines.forEach((line, position) => {
    if (position > 0) result.push({ type: 'break' })
    result.push(...parseInline(line))
  })
  return result
}

const SAFE_URL = /^https?:\/\/[^\s<>"]+$/i
const BARE_URL = /^https?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:!?)\]]/i
const ESCAPABLE = '\\`*_{}[]()#+-.!|~>'

/** Parses inline Markdown; only http and https links survive, anything else stays literal text. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = []
  let buffer = ''
  const flush = () => {
    if (buffer) out.push({ type: 'text', text: buffer })
    buffer = ''
  }
  let index = 0
  while (index < text.length) {
    const char = text[index]!
    const rest = text.slice(index)
    if (char === '\\' && index + 1 < text.length && ESCAPABLE.includes(text[index + 1]!)) {
      buffer += text[index + 1]
      index += 2
      continue
    }
    if (char === '`') {
      const run = /^`+/.exec(rest)![0]
      const close = text.indexOf(run, index + run.length)
      if (close > 0) {
        flush()
        out.push({ type: 'code', text: text.slice(index + run.length, close).replace(/^ (.+) $/, '$1') })
        index = close + run.length
        continue
      }
    }
    if (char === '[') {
      const link = /^\[([^\]]*)\]\(\s*<?([^()\s>]*(?:\([^()\s]*\)[^()\s>]*)*)>?(?:\s+"[^"]*")?\s*\)/.exec(rest)
      if (link) {
        flush()
        const href = link[2]!
        if (SAFE_URL.test(href)) out.push({ type: 'link', href, children: parseInline(link[1]!) })
        else out.push(...parseInline(link[1]!))
        index += link[0].length
        continue
      }
    }
    if ((char === 'h' || char === 'H') && /^https?:\/\//i.test(rest) && !/[\w/]$/.test(buffer)) {
      const url = BARE_URL.exec(rest)
      if (url) {
        flush()
        out.push({ type: 'link', href: url[0], children: [{ type: 'text', text: url[0] }] })
        index += url[0].length
        continue
      }
    }
    const emphasis = matchEmphasis(text, index)
    if (emphasis) {
      flush()
      out.push({ type: emphasis.type, children: parseInline(emphasis.inner) } as Inline)
      index = emphasis.end
      continue
    }
    buffer += char
    index++
  }
  flush()
  return out
}

function matchEmphasis(text: string, index: number): { type: 'strong' | 'em' | 'del'; inner: string; end: number } | undefined {
  for (const [marker, type] of [['**', 'strong'], ['__', 'strong'], ['~~', 'del'], ['*', 'em'], ['_', 'em']] as const) {
    if (!text.startsWith(marker, index)) continue
    const after = text[index + marker.length]
    if (after === undefined || /\s/.test(after)) continue
    // Underscores inside words (snake_case) are not emphasis.
    if (marker[0] === '_' && index > 0 && /\w/.test(text[index - 1]!)) continue
    let close = text.indexOf(marker, index + marker.length + 1)
    while (close > 0) {
      const before = text[close - 1]!
      const next = text[close + marker.length]
      const validEnd = !/\s/.test(before) && !(marker[0] === '_' && next !== undefined && /\w/.test(next))
      // A single `*` must not close on the first half of a `**`.
      const doubled = marker.length === 1 && text[close + 1] === marker
      if (validEnd && !doubled) return { type, inner: text.slice(index + marker.length, close), end: close + marker.length }
      close = text.indexOf(marker, close + (doubled ? 2 : 1))
    }
  }
  return undefined
}
