/** One parsed log line for the Logs and Overview views. */
export interface LogEntry {
  time?: string
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'unknown'
  subsystem?: string
  message: string
  raw: string
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal']

/** Reads upstream's JSON log line shape (spec §4.7); other lines are kept as plain messages. */
export function parseLogLine(raw: string): LogEntry {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return { level: 'unknown', message: raw, raw }
  }
  if (typeof value !== 'object' || value === null) return { level: 'unknown', message: raw, raw }
  const record = value as Record<string, unknown>
  const meta = (record._meta ?? {}) as Record<string, unknown>
  const levelName = String(meta.logLevelName ?? meta.level ?? record.level ?? '').toLowerCase()
  const level = (LEVELS.includes(levelName) ? levelName : levelName === 'warning' ? 'warn' : 'unknown') as LogEntry['level']
  let subsystem: string | undefined
  const first = record['0']
  if (typeof first === 'string') {
    try {
      const parsed = JSON.parse(first) as Record<string, unknown>
      subsystem = String(parsed.subsystem ?? parsed.module ?? '')
    } catch {
      subsystem = first.length < 40 ? first : undefined
    }
  }
  const message = typeof record['1'] === 'string' ? record['1'] : typeof record.message === 'string' ? record.message : typeof first === 'string' ? first : raw
  const time = typeof record.time === 'string' ? record.time : typeof meta.date === 'string' ? meta.date : undefined
  return { time, level, subsystem: subsystem || undefined, message, raw }
}

/** Severity rank for "at least this level" filters; unknown lines count as info. */
export function levelRank(level: LogEntry['level']): number {
  const index = LEVELS.indexOf(level)
  return index < 0 ? 2 : index
}
