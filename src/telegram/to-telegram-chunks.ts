import { runsText, sameMark, toMarkdownRuns, type Mark, type Run, type TableMode } from './markdown-runs.js'

/** Telegram's hard limit on a message's visible text. */
export const TELEGRAM_TEXT_LIMIT = 4096
/** Upstream's default `textChunkLimit`. */
export const DEFAULT_CHUNK_LIMIT = 4000

/** One message: its HTML for `parse_mode:"HTML"` and its plain text for the no-formatting resend. */
export interface TelegramChunk {
  html: string
  text: string
}

/** Chunking settings from `channels.telegram` (`textChunkLimit`, `chunkMode`, `markdown.tables`). */
export interface ChunkOptions {
  limit?: number
  mode?: 'length' | 'newline'
  tables?: TableMode
}

/**
 * Converts model Markdown into Telegram messages: each at most `limit` visible characters (clamped to 4096), split
 * at the last newline in the window, else the last space, else a hard cut, with formatting re-opened in every chunk
 * so each one is balanced HTML (a long code block becomes several `<pre>` messages).
 * @see spec/telegram.md §5.1, §5.2
 */
export function toTelegramChunks(markdown: string, options: ChunkOptions = {}): TelegramChunk[] {
  const limit = Math.max(1, Math.min(options.limit ?? DEFAULT_CHUNK_LIMIT, TELEGRAM_TEXT_LIMIT))
  const runs = toMarkdownRuns(markdown, options.tables ?? 'code')
  const text = runsText(runs)
  const ranges = options.mode === 'newline' ? paragraphs(text).flatMap((range) => splitRange(text, range, limit)) : splitRange(text, [0, text.length], limit)
  return ranges
    .map(([start, end]) => sliceRuns(runs, start, end))
    .filter((slice) => runsText(slice).trim() !== '')
    .map((slice) => ({ html: renderHtml(slice), text: runsText(slice) }))
}

/** Escapes text for Telegram HTML (`&`, `<`, `>`). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Renders runs as balanced Telegram HTML: marks shared with the previous run stay open, the rest close and open. */
export function renderHtml(runs: readonly Run[]): string {
  let html = ''
  const open: Mark[] = []
  for (const run of runs) {
    let shared = 0
    while (shared < open.length && shared < run.marks.length && sameMark(open[shared] as Mark, run.marks[shared] as Mark)) shared += 1
    while (open.length > shared) html += closeTag(open.pop() as Mark)
    for (const mark of run.marks.slice(shared)) {
      html += openTag(mark)
      open.push(mark)
    }
    html += escapeHtml(run.text)
  }
  while (open.length > 0) html += closeTag(open.pop() as Mark)
  return html
}

function openTag(mark: Mark): string {
  if (mark.kind === 'a') return `<a href="${escapeHtml(mark.href).replace(/"/g, '&quot;')}">`
  if (mark.kind === 'pre') return '<pre><code>'
  return `<${mark.kind}>`
}

function closeTag(mark: Mark): string {
  if (mark.kind === 'pre') return '</code></pre>'
  return `</${mark.kind}>`
}

/** Blank-line separated paragraphs, for `chunkMode:"newline"`. */
function paragraphs(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  let start = 0
  for (const match of text.matchAll(/\n\s*\n/g)) {
    ranges.push([start, match.index])
    start = match.index + match[0].length
  }
  ranges.push([start, text.length])
  return ranges
}

function splitRange(text: string, [start, end]: [number, number], limit: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  let from = start
  while (end - from > limit) {
    const window = text.slice(from, from + limit + 1)
    let cut = window.lastIndexOf('\n')
    if (cut <= 0) cut = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\t'))
    if (cut <= 0) {
      cut = limit
      // Never split a surrogate pair: the half would be an invalid character.
      const code = text.charCodeAt(from + cut - 1)
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1
      ranges.push([from, from + cut])
      from += cut
      continue
    }
    ranges.push([from, from + cut])
    from += cut + 1
  }
  if (end > from) ranges.push([from, end])
  return ranges
}

function sliceRuns(runs: readonly Run[], start: number, end: number): Run[] {
  const slice: Run[] = []
  let offset = 0
  for (const run of runs) {
    const runEnd = offset + run.text.length
    if (runEnd > start && offset < end) slice.push({ text: run.text.slice(Math.max(0, start - offset), Math.min(run.text.length, end - offset)), marks: run.marks })
    offset = runEnd
    if (offset >= end) break
  }
  return slice
}
