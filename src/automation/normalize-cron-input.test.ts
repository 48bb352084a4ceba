import { describe, expect, it } from 'vitest'
import { normalizeCronInput, parseAbsoluteTime } from './normalize-cron-input.js'

describe('normalizeCronInput', () => {
  it('unwraps job/data, coerces enabled, infers the schedule kind and fills the create defaults', () => {
    expect(normalizeCronInput({ job: { name: 'a', enabled: 'FALSE', agentId: '  Work ', schedule: { everyMs: 5 }, payload: { kind: 'agentTurn', message: 'm', provider: 'Discord' } } }, { applyDefaults: true })).toEqual({
      name: 'a',
      enabled: false,
      agentId: 'work',
      schedule: { kind: 'every', everyMs: 5 },
      payload: { kind: 'agentTurn', message: 'm', channel: 'discord' },
      wakeMode: 'next-heartbeat',
      sessionTarget: 'isolated',
    })
    expect(normalizeCronInput({ data: { agentId: null, schedule: { expr: '* * * * *' } } }, { applyDefaults: false })).toEqual({ agentId: null, schedule: { kind: 'cron', expr: '* * * * *' } })
    expect(normalizeCronInput({ agentId: ' ' }, { applyDefaults: false })).toEqual({})
  })

  it('parses absolute times: digits, dates, zoneless (UTC) and zoned date-times; not relative ones', () => {
    expect(parseAbsoluteTime('1700000000000')).toBe(1_700_000_000_000)
    expect(parseAbsoluteTime('2026-01-12')).toBe(Date.parse('2026-01-12T00:00:00Z'))
    expect(parseAbsoluteTime('2026-01-12T18:00:00')).toBe(Date.parse('2026-01-12T18:00:00Z'))
    expect(parseAbsoluteTime('2026-01-12T18:00:00+02:00')).toBe(Date.parse('2026-01-12T16:00:00Z'))
    expect(parseAbsoluteTime('20m')).toBeUndefined()
    expect(normalizeCronInput({ schedule: { atMs: '2026-01-12' } }, { applyDefaults: false })).toEqual({ schedule: { kind: 'at', atMs: Date.parse('2026-01-12T00:00:00Z') } })
  })
})
