import type { LogRing } from '../logging/log-ring.js'

/** Where `logs.tail` says the lines come from: our log lives in memory, not in a file. */
export const LOG_SOURCE = 'memory://gateway-log'

/** `logs.tail` params after defaults (spec §4.7). */
export interface TailLogsParams {
  cursor?: number
  limit: number
  maxBytes: number
}

/** The `logs.tail` result; `cursor` always equals `size`, the next call's starting point. */
export interface TailLogsResult {
  file: string
  cursor: number
  size: number
  lines: string[]
  truncated: boolean
  reset: boolean
}

const encoder = new TextEncoder()

/**
 * Reads the log ring with upstream's file-offset cursor semantics: no cursor gives the last `maxBytes` from a line
 * boundary; a cursor past the end (a restarted gateway) resets; a cursor more than `maxBytes` behind jumps ahead;
 * at most `limit` lines, the newest, are returned.
 */
export function tailLogs(ring: Pick<LogRing, 'lines' | 'size'>, params: TailLogsParams): TailLogsResult {
  const size = ring.size
  let reset = false
  let truncated = false
  let from: number
  if (params.cursor === undefined) {
    from = Math.max(0, size - params.maxBytes)
  } else if (params.cursor > size) {
    reset = true
    from = Math.max(0, size - params.maxBytes)
  } else if (size - params.cursor > params.maxBytes) {
    reset = true
    truncated = true
    from = size - params.maxBytes
  } else {
    from = params.cursor
  }

  const retained = ring.lines().map((entry) => ({ line: entry.line, start: entry.end - encoder.encode(entry.line).byteLength - 1 }))
  let selected = retained.filter((entry) => entry.start >= from)
  // Bytes between the start point and the first line we still hold were evicted from the ring (or cut mid-line).
  const firstStart = selected[0]?.start ?? size
  if (firstStart > from || (params.cursor === undefined && firstStart > 0)) truncated = true
  if (selected.length > params.limit) {
    selected = selected.slice(selected.length - params.limit)
    truncated = true
  }
  return { file: LOG_SOURCE, cursor: size, size, lines: selected.map((entry) => entry.line), truncated, reset }
}
