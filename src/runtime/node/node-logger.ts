import { createLogger, type Logger } from '../../logging/logger.js'
import { LogRing } from '../../logging/log-ring.js'
import { formatLogLine } from '../../logging/format-log-line.js'

/** A logger writing upstream-format lines to stdout, with a ring buffer for `logs.tail` and secret masking. */
export function createNodeLogger(options: { verbose: boolean; secrets: () => readonly string[] }): { logger: Logger; ring: LogRing } {
  const ring = new LogRing()
  const tty = process.stdout.isTTY === true
  const logger = createLogger({
    now: Date.now,
    verbose: options.verbose,
    ring,
    secrets: options.secrets,
    sink: (record) => {
      process.stdout.write(`${formatLogLine(record, { tty })}\n`)
    },
  })
  return { logger, ring }
}

/** Secrets found in the environment that must never show up in a log line. */
export { environmentSecrets } from '../../config/env-values.js'
