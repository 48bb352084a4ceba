import { describe, expect, it } from 'vitest'
import { mostRecentHourStart } from './most-recent-hour-start.js'

const at = (iso: string): number => Date.parse(iso)

describe('mostRecentHourStart', () => {
  it('returns today’s hour once it has passed, else yesterday’s (UTC by default)', () => {
    expect(mostRecentHourStart(at('2026-01-10T04:01:00Z'), 4)).toBe(at('2026-01-10T04:00:00Z'))
    expect(mostRecentHourStart(at('2026-01-10T04:00:00Z'), 4)).toBe(at('2026-01-10T04:00:00Z'))
    expect(mostRecentHourStart(at('2026-01-10T03:59:59.999Z'), 4)).toBe(at('2026-01-09T04:00:00Z'))
    expect(mostRecentHourStart(at('2026-03-01T01:00:00Z'), 4)).toBe(at('2026-02-28T04:00:00Z'))
    expect(mostRecentHourStart(at('2026-01-01T00:30:00Z'), 0)).toBe(at('2026-01-01T00:00:00Z'))
    expect(mostRecentHourStart(at('2026-01-01T00:30:00Z'), 23)).toBe(at('2025-12-31T23:00:00Z'))
  })

  it('works in zones ahead of and behind UTC, across date lines', () => {
    // Tokyo is UTC+9: 04:00 JST on Jan 10 is 19:00 UTC on Jan 9.
    expect(mostRecentHourStart(at('2026-01-09T20:00:00Z'), 4, 'Asia/Tokyo')).toBe(at('2026-01-09T19:00:00Z'))
    expect(mostRecentHourStart(at('2026-01-09T18:00:00Z'), 4, 'Asia/Tokyo')).toBe(at('2026-01-08T19:00:00Z'))
    expect(mostRecentHourStart(at('2026-01-10T12:00:00Z'), 4, 'America/Los_Angeles')).toBe(at('2026-01-10T12:00:00Z'))
    expect(mostRecentHourStart(at('2026-01-10T11:59:00Z'), 4, 'America/Los_Angeles')).toBe(at('2026-01-09T12:00:00Z'))
  })

  it('follows daylight-saving changes', () => {
    // Berlin: CET (UTC+1) in winter, CEST (UTC+2) from 2026-03-29.
    expect(mostRecentHourStart(at('2026-03-28T12:00:00Z'), 4, 'Europe/Berlin')).toBe(at('2026-03-28T03:00:00Z'))
    expect(mostRecentHourStart(at('2026-03-29T12:00:00Z'), 4, 'Europe/Berlin')).toBe(at('2026-03-29T02:00:00Z'))
    expect(mostRecentHourStart(at('2026-03-30T01:00:00Z'), 4, 'Europe/Berlin')).toBe(at('2026-03-29T02:00:00Z'))
  })

  it('rejects an unknown time zone with a config error', () => {
    expect(() => mostRecentHourStart(0, 4, 'Mars/Olympus')).toThrow('[sessions] unknown time zone')
  })
})
