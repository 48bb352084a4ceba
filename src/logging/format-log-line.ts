import type { LogRecord } from './log-record.js'

/**
 * Renders a record the way upstream prints it on stdout: `2026-01-29T10:00:00.120Z [gateway] listening on …`
 * when stdout is not a terminal, `10:00:00 [gateway] …` on one. Fly's log viewer and the Fly guide rely on this text.
 */
export function formatLogLine(record: LogRecord, options: { tty: boolean }): string {
  const iso = new Date(record.time).toISOString()
  const stamp = options.tty ? iso.slice(11, 19) : iso
  const level = record.level === 'warn' || record.level === 'error' ? `${record.level}: ` : ''
  return `${stamp} [${record.subsystem}] ${level}${record.message}`
}

/**
 * The JSON line shape the upstream Control UI's Logs tab parses (time, `_meta.logLevelName`, subsystem in "0",
 * message in "1"), so `logs.tail` fills every column for upstream clients too.
 */
export function toJsonLogLine(record: LogRecord): string {
  return JSON.stringify({
    time: new Date(record.time).toISOString(),
    _meta: { logLevelName: record.level.toUpperCase() },
    0: JSON.stringify({ subsystem: record.subsystem }),
    1: record.message,
  })
}
