import type { LogLevel, LogRecord } from './log-record.js'
import type { LogRing } from './log-ring.js'

/** A subsystem logger. `child('discord')` gives the `[discord]` prefix upstream users grep for. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
  child(subsystem: string): Logger
}

export interface LoggerOptions {
  subsystem?: string
  now: () => number
  /** Receives every record at or above the console level; the runtime writes it out. */
  sink: (record: LogRecord) => void
  /** Show `debug` records on the sink (`--verbose`). */
  verbose?: boolean
  /** Every record, debug included, lands here for `logs.tail`. */
  ring?: LogRing
  /** Current secret values (tokens, passwords, API keys); they are masked in every line. */
  secrets?: () => readonly string[]
}

const SHORTEST_SECRET = 6

/** Creates the root logger; subsystems derive from it with `child()`. */
export function createLogger(options: LoggerOptions): Logger {
  const subsystem = options.subsystem ?? 'gateway'
  const emit = (level: LogLevel, message: string): void => {
    const record: LogRecord = {
      time: options.now(),
      level,
      subsystem,
      message: redact(stripOwnPrefix(message, subsystem), options.secrets?.() ?? []),
    }
    options.ring?.push(record)
    if (level === 'debug' && !options.verbose) return
    options.sink(record)
  }
  return {
    debug: (message) => emit('debug', message),
    info: (message) => emit('info', message),
    warn: (message) => emit('warn', message),
    error: (message) => emit('error', message),
    child: (name) => createLogger({ ...options, subsystem: name }),
  }
}

/** Masks every known secret value in a message; short values are skipped so common words never get masked. */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message
  for (const secret of secrets) {
    if (secret.length < SHORTEST_SECRET) continue
    out = out.split(secret).join('***')
  }
  return out
}

// Upstream strips a message's own subsystem prefix so lines never read `[discord] discord: …`.
function stripOwnPrefix(message: string, subsystem: string): string {
  for (const prefix of [`[${subsystem}] `, `${subsystem}: `]) {
    if (message.startsWith(prefix)) return message.slice(prefix.length)
  }
  return message
}
