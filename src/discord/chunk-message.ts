import { MAX_CONTENT_LENGTH } from './discord-api.js'

/** Limits of one Discord message (`textChunkLimit`, `maxLinesPerMessage`). */
export interface ChunkLimits {
  /** Characters per message; capped at Discord's 2000. */
  maxChars?: number
  /** Lines per message; upstream's default 17 keeps long replies from filling the screen. */
  maxLines?: number
}

/** Upstream's default `maxLinesPerMessage`. */
export const DEFAULT_MAX_LINES = 17

interface Fence {
  /** The opening line as written, e.g. "```ts"; repeated at the top of the next chunk. */
  opener: string
  /** The backtick or tilde run that closes it. */
  marker: string
}

/**
 * Splits a reply into Discord messages within the character and line limits, preferring line breaks. A code fence
 * cut by a chunk boundary is closed at the end of one chunk and reopened (same info string) at the start of the
 * next, so every chunk renders on its own (upstream PR #371).
 * @see spec/discord.md §7.1
 */
export function chunkMessage(text: string, limits: ChunkLimits = {}): string[] {
  const maxChars = Math.max(1, Math.min(limits.maxChars ?? MAX_CONTENT_LENGTH, MAX_CONTENT_LENGTH))
  const maxLines = Math.max(1, limits.maxLines ?? DEFAULT_MAX_LINES)
  const chunks: string[] = []
  let current: string[] = []
  let length = 0
  let hasContent = false
  let fence: Fence | undefined

  const flush = (): void => {
    if (hasContent) chunks.push((fence === undefined ? current : [...current, fence.marker]).join('\n'))
    current = fence === undefined ? [] : [fence.opener]
    length = fence === undefined ? 0 : fence.opener.length
    hasContent = false
  }

  const pending = text.replace(/\s+$/, '').split('\n')
  while (pending.length > 0) {
    let line = pending.shift() as string
    const overhead = fence === undefined ? 0 : fence.opener.length + fence.marker.length + 2
    const room = Math.max(1, maxChars - overhead)
    if (line.length > room) {
      const [head, tail] = splitLine(line, room)
      pending.unshift(tail)
      line = head
    }
    const after = nextFence(fence, line)
    const closer = after === undefined ? 0 : after.marker.length + 1
    const projectedLength = length + (current.length > 0 ? 1 : 0) + line.length + closer
    const projectedLines = current.length + 1 + (after === undefined ? 0 : 1)
    if (hasContent && (projectedLength > maxChars || projectedLines > maxLines)) {
      flush()
      pending.unshift(line)
      continue
    }
    length += (current.length > 0 ? 1 : 0) + line.length
    current.push(line)
    hasContent = true
    fence = after
  }
  flush()
  return chunks.filter((chunk) => chunk.trim() !== '')
}

/** The fence state after `line`: opens on a fence line outside a fence, closes on a bare matching marker inside. */
function nextFence(fence: Fence | undefined, line: string): Fence | undefined {
  const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line)
  if (match === null) return fence
  const [, run, rest] = match as unknown as [string, string, string]
  if (fence === undefined) return { opener: line.trim(), marker: run }
  const closes = run[0] === fence.marker[0] && run.length >= fence.marker.length && rest.trim() === ''
  return closes ? undefined : fence
}

/** Cuts an over-long line at the last space in the second half of the window (dropping it), else hard. */
function splitLine(line: string, room: number): [string, string] {
  const space = line.lastIndexOf(' ', room)
  if (space > room / 2) return [line.slice(0, space), line.slice(space + 1)]
  return [line.slice(0, room), line.slice(room)]
}
