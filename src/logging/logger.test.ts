import { describe, it, expect } from 'vitest'
import { createLogger } from './logger.js'
import { LogRing } from './log-ring.js'
import { formatLogLine } from './format-log-line.js'
import type { LogRecord } from './log-record.js'

function setup(verbose = false) {
  const records: LogRecord[] = []
  const ring = new LogRing(3)
  const logger = createLogger({ now: () => Date.UTC(2026, 0, 29, 10, 0, 0, 121), sink: (record) => records.push(record), ring, verbose, secrets: () => ['s3cret-token'] })
  return { records, ring, logger }
}

describe('createLogger', () => {
  it('formats lines as upstream: ISO stamp off a TTY, HH:MM:SS on one', () => {
    const { records, logger } = setup()
    logger.child('gateway').info('listening on ws://0.0.0.0:3000 (PID 7)')
    expect(formatLogLine(records[0], { tty: false })).toBe('2026-01-29T10:00:00.121Z [gateway] listening on ws://0.0.0.0:3000 (PID 7)')
    expect(formatLogLine(records[0], { tty: true })).toBe('10:00:00 [gateway] listening on ws://0.0.0.0:3000 (PID 7)')
  })

  it('masks secrets and strips a repeated subsystem prefix', () => {
    const { records, logger } = setup()
    logger.child('discord').warn('discord: token s3cret-token rejected')
    expect(records[0]).toMatchObject({ subsystem: 'discord', level: 'warn', message: 'token *** rejected' })
  })

  it('keeps debug lines out of the console unless verbose, but always in the ring', () => {
    const quiet = setup(false)
    quiet.logger.debug('lane wait')
    expect(quiet.records).toHaveLength(0)
    expect(quiet.ring.lines()).toHaveLength(1)
    const loud = setup(true)
    loud.logger.debug('lane wait')
    expect(loud.records).toHaveLength(1)
  })

  it('keeps only the newest lines in the ring while the byte cursor keeps growing', () => {
    const { ring, logger } = setup()
    for (let index = 0; index < 5; index++) logger.info(`line ${index}`)
    expect(ring.lines().map((line) => line.record.message)).toEqual(['line 2', 'line 3', 'line 4'])
    expect(ring.size).toBe(ring.lines()[2].end)
    expect(JSON.parse(ring.lines()[0].line)).toMatchObject({ _meta: { logLevelName: 'INFO' }, 1: 'line 2' })
  })
})
