/**
 * Markdown as Telegram can show it: a flat list of text runs, each with the formatting marks around it (outermost
 * first). Chunking cuts runs, and rendering re-opens the marks in every chunk, so each message is balanced HTML.
 * @see spec/telegram.md §5.1
 */

/** One formatting mark; `pre` is a fenced code block and is never combined with other marks. */
export type Mark = { kind: 'b' | 'i' | 's' | 'code' | 'pre' } | { kind: 'a'; href: string }

/** Text with the marks that apply to all of it. */
export interface Run {
  text: string
  marks: Mark[]
}

/** How Markdown tables are shown (`markdown.tables`). */
export type TableMode = 'off' | 'bullets' | 'code'

const FENCE = /^ {0,3}(```|~~~)/
const RULE = /^ {0,3}([-*_])( *\1){2,} *$/
const HEADING = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/
const QUOTE = /^ {0,3}> ?/
const BULLET = /^(\s*)[-*+]\s+/
const TABLE_ROW = /^\s*\|.*\|\s*$/
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/

/** Parses model Markdown into runs: fences → `pre`, headings and quotes → plain lines, bullets → `• `, rules dropped. */
export function toMarkdownRuns(markdown: string, tables: TableMode = 'code'): Run[] {
  const runs: Run[] = []
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n')
  let first = true
  const newline = () => {
    if (!first) runs.push({ text: '\n', marks: [] })
    first = false
  }
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as string
    const fence = FENCE.exec(line)
    if (fence !== null) {
      const marker = fence[1] as string
      const body: string[] = []
      index += 1
      while (index < lines.length && !(lines[index] as string).trimStart().startsWith(marker)) body.push(lines[index++] as string)
      newline()
      if (body.length > 0) runs.push({ text: body.join('\n'), marks: [{ kind: 'pre' }] })
      continue
    }
    if (tables !== 'off' && TABLE_ROW.test(line) && TABLE_SEPARATOR.test(lines[index + 1] ?? '')) {
      const rows = [line, lines[index + 1] as string]
      index += 1
      while (index + 1 < lines.length && TABLE_ROW.test(lines[index + 1] as string)) rows.push(lines[++index] as string)
      newline()
      if (tables === 'code') runs.push({ text: rows.join('\n'), marks: [{ kind: 'pre' }] })
      else runs.push(...tableBullets([rows[0] as string, ...rows.slice(2)]))
      continue
    }
    if (RULE.test(line)) continue
    newline()
    const heading = HEADING.exec(line)
    if (heading !== null) {
      runs.push(...inlineRuns(heading[1] as string, []))
      continue
    }
    let text = line.replace(QUOTE, '')
    text = text.replace(BULLET, (_, indent: string) => `${indent}• `)
    runs.push(...inlineRuns(text, []))
  }
  return mergeRuns(runs)
}

/** The text a run list shows, e.g. for a plain-text resend. */
export function runsText(runs: readonly Run[]): string {
  return runs.map((run) => run.text).join('')
}

type InlineRule = { pattern: RegExp; build: (match: RegExpExecArray, marks: Mark[]) => Run[] }

const INLINE_RULES: InlineRule[] = [
  { pattern: /`([^`\n]+)`/, build: (match, marks) => [{ text: match[1] as string, marks: [...marks, { kind: 'code' }] }] },
  {
    pattern: /\[([^\]\n]+)\]\((\S+?)\)/,
    build: (match, marks) => inlineRuns(match[1] as string, [...marks, { kind: 'a', href: match[2] as string }]),
  },
  { pattern: /\*\*(?=\S)([^\n]*?\S)\*\*/, build: (match, marks) => inlineRuns(match[1] as string, [...marks, { kind: 'b' }]) },
  { pattern: /__(?=\S)([^\n]*?\S)__/, build: (match, marks) => inlineRuns(match[1] as string, [...marks, { kind: 'b' }]) },
  { pattern: /~~(?=\S)([^\n]*?\S)~~/, build: (match, marks) => inlineRuns(match[1] as string, [...marks, { kind: 's' }]) },
  { pattern: /(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/, build: (match, marks) => inlineRuns(match[1] as string, [...marks, { kind: 'i' }]) },
  { pattern: /(?<![\w])_(?=\S)([^_\n]*?\S)_(?![\w])/, build: (match, marks) => inlineRuns(match[1] as string, [...marks, { kind: 'i' }]) },
  {
    pattern: /https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]/,
    build: (match, marks) =>
      marks.some((mark) => mark.kind === 'a') ? [{ text: match[0], marks }] : [{ text: match[0], marks: [...marks, { kind: 'a', href: match[0] }] }],
  },
]

function inlineRuns(text: string, marks: Mark[]): Run[] {
  const runs: Run[] = []
  let rest = text
  while (rest !== '') {
    let best: { rule: InlineRule; match: RegExpExecArray } | undefined
    for (const rule of INLINE_RULES) {
      const match = rule.pattern.exec(rest)
      if (match !== null && (best === undefined || match.index < best.match.index)) best = { rule, match }
    }
    if (best === undefined) {
      runs.push({ text: rest, marks })
      break
    }
    if (best.match.index > 0) runs.push({ text: rest.slice(0, best.match.index), marks })
    runs.push(...best.rule.build(best.match, marks))
    rest = rest.slice(best.match.index + best.match[0].length)
  }
  return runs
}

function tableBullets(rows: string[]): Run[] {
  const cells = (row: string) => row.trim().replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim())
  const header = cells(rows[0] as string)
  const runs: Run[] = []
  rows.slice(1).forEach((row, index) => {
    if (index > 0) runs.push({ text: '\n', marks: [] })
    const values = cells(row)
    runs.push(...inlineRuns(`• ${values.map((value, column) => (header[column] ? `${header[column]}: ${value}` : value)).join(', ')}`, []))
  })
  return runs
}

function mergeRuns(runs: Run[]): Run[] {
  const merged: Run[] = []
  for (const run of runs) {
    if (run.text === '') continue
    const last = merged[merged.length - 1]
    if (last !== undefined && sameMarks(last.marks, run.marks)) last.text += run.text
    else merged.push({ text: run.text, marks: run.marks })
  }
  return merged
}

/** Whether two mark lists are the same, in order, hrefs included. */
export function sameMarks(left: readonly Mark[], right: readonly Mark[]): boolean {
  return left.length === right.length && left.every((mark, index) => sameMark(mark, right[index] as Mark))
}

/** Whether two marks are the same mark. */
export function sameMark(left: Mark, right: Mark): boolean {
  return left.kind === right.kind && (left.kind !== 'a' || (right.kind === 'a' && left.href === right.href))
}
