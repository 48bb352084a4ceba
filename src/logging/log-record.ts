/** Severity levels, lowest first. `debug` lines only reach the console with `--verbose`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']

/** One log event as the logger hands it to sinks and the ring buffer. */
export interface LogRecord {
  /** Milliseconds since the epoch. */
  time: number
  level: LogLevel
  subsystem: string
  message: string
}
