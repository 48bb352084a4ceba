import { describe, expect, it } from 'vitest'
import { LogRing } from '../logging/log-ring.js'
import { tailLogs } from './tail-logs.js'

function ringWith(count: number, capacity = 2_000): LogRing {
  const ring = new LogRing(capacity)
  for (let index = 0; index < count; index++) ring.push({ time: 1_800_000_000_000 + index, level: 'info', subsystem: 'test', message: `line ${index}` })
  return ring
}

const DEFAULTS = { limit: 500, maxBytes: 250_000 }

describe('tailLogs', () => {
  it('returns everything from the start without a cursor when it fits, and cursor = size', () => {
    const ring = ringWith(3)
    const result = tailLogs(ring, DEFAULTS)
    expect(result).toMatchObject({ cursor: ring.size, size: ring.size, truncated: false, reset: false })
    expect(result.lines.map((line) => JSON.parse(line)['1'])).toEqual(['line 0', 'line 1', 'line 2'])
  })

  it('returns only lines written after the cursor, and nothing when there is nothing new', () => {
    const ring = ringWith(2)
    const first = tailLogs(ring, DEFAULTS)
    ring.push({ time: 1, level: 'warn', subsystem: 'test', message: 'fresh' })
    const second = tailLogs(ring, { ...DEFAULTS, cursor: first.cursor })
    expect(second.lines.map((line) => JSON.parse(line)['1'])).toEqual(['fresh'])
    expect(second).toMatchObject({ truncated: false, reset: false })
    expect(tailLogs(ring, { ...DEFAULTS, cursor: second.cursor }).lines).toEqual([])
  })

  it('starts at a line boundary within maxBytes without a cursor and marks it truncated', () => {
    const ring = ringWith(10)
    const lineBytes = ring.lines()[0]!.end
    const result = tailLogs(ring, { limit: 500, maxBytes: lineBytes * 3 })
    expect(result.lines).toHaveLength(3)
    expect(JSON.parse(result.lines[2]!)['1']).toBe('line 9')
    expect(result.truncated).toBe(true)
  })

  it('resets when the cursor is past the end (a restarted gateway)', () => {
    const ring = ringWith(2)
    const result = tailLogs(ring, { ...DEFAULTS, cursor: ring.size + 100 })
    expect(result).toMatchObject({ reset: true, cursor: ring.size })
    expect(result.lines).toHaveLength(2)
  })

  it('jumps ahead with reset and truncated when the cursor is more than maxBytes behind', () => {
    const ring = ringWith(10)
    const lineBytes = ring.lines()[0]!.end
    const result = tailLogs(ring, { limit: 500, maxBytes: lineBytes * 2, cursor: 0 })
    expect(result).toMatchObject({ reset: true, truncated: true })
    expect(result.lines).toHaveLength(2)
  })

  it('keeps only the newest `limit` lines, and flags lines evicted from the ring', () => {
    expect(tailLogs(ringWith(10), { ...DEFAULTS, limit: 4 })).toMatchObject({ truncated: true, lines: expect.any(Array) })
    expect(tailLogs(ringWith(10), { ...DEFAULTS, limit: 4 }).lines).toHaveLength(4)
    const evicting = ringWith(10, 3)
    expect(tailLogs(evicting, { ...DEFAULTS, cursor: 0 })).toMatchObject({ truncated: true, reset: false })
  })
})
