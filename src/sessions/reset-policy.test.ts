import { describe, expect, it } from 'vitest'
import {
  isSessionStale,
  matchResetTrigger,
  resolveResetPolicy,
  sessionResetType,
  type ResetPolicy,
} from './reset-policy.js'

const at = (iso: string): number => Date.parse(iso)
const DAILY_4: ResetPolicy = { mode: 'daily', atHour: 4 }

describe('sessionResetType', () => {
  it('ranks thread over group over dm', () => {
    expect(sessionResetType('agent:main:telegram:group:1:topic:9')).toBe('thread')
    expect(sessionResetType('agent:main:slack:channel:1:thread:2')).toBe('thread')
    expect(sessionResetType('agent:main:discord:channel:900', { isThread: true })).toBe('thread')
    expect(sessionResetType('agent:main:discord:channel:1')).toBe('group')
    expect(sessionResetType('agent:main:discord:group:1')).toBe('group')
    expect(sessionResetType('agent:main:custom', { chatType: 'group' })).toBe('group')
    expect(sessionResetType('agent:main:main')).toBe('dm')
    expect(sessionResetType('agent:main:discord:dm:5')).toBe('dm')
  })
})

describe('resolveResetPolicy', () => {
  it.each<[string, Parameters<typeof resolveResetPolicy>[0], Parameters<typeof resolveResetPolicy>[1], ResetPolicy]>([
    ['defaults to daily at 04:00', undefined, { type: 'dm' }, DAILY_4],
    ['an empty session block is the default', {}, { type: 'group' }, DAILY_4],
    ['legacy idleMinutes alone means idle-only', { idleMinutes: 30 }, { type: 'dm' }, { mode: 'idle', atHour: 4, idleMinutes: 30 }],
    [
      'legacy idleMinutes next to reset is only the idle fallback',
      { idleMinutes: 30, reset: { atHour: 6 } },
      { type: 'dm' },
      { mode: 'daily', atHour: 6, idleMinutes: 30 },
    ],
    [
      'legacy idleMinutes next to resetByType is not idle-only',
      { idleMinutes: 30, resetByType: { group: { atHour: 2 } } },
      { type: 'dm' },
      { mode: 'daily', atHour: 4, idleMinutes: 30 },
    ],
    ['idle with no minutes means 60', { reset: { mode: 'idle' } }, { type: 'dm' }, { mode: 'idle', atHour: 4, idleMinutes: 60 }],
    [
      'resetByType fields win over reset, field by field',
      { reset: { mode: 'daily', atHour: 3, idleMinutes: 90 }, resetByType: { group: { atHour: 7 } } },
      { type: 'group' },
      { mode: 'daily', atHour: 7, idleMinutes: 90 },
    ],
    [
      'resetByType for another type does not apply',
      { reset: { atHour: 3 }, resetByType: { thread: { mode: 'idle', idleMinutes: 5 } } },
      { type: 'group' },
      { mode: 'daily', atHour: 3 },
    ],
    [
      'resetByChannel replaces everything',
      { idleMinutes: 10, reset: { mode: 'daily', atHour: 3, idleMinutes: 90 }, resetByChannel: { discord: { mode: 'idle' } } },
      { type: 'dm', channel: 'discord' },
      { mode: 'idle', atHour: 4, idleMinutes: 60 },
    ],
    [
      'resetByChannel for another channel does not apply',
      { resetByChannel: { telegram: { mode: 'idle' } } },
      { type: 'dm', channel: 'discord' },
      DAILY_4,
    ],
  ])('%s', (_name, session, target, expected) => {
    expect(resolveResetPolicy(session, target)).toEqual(expected)
  })
})

describe('isSessionStale', () => {
  it('spec vector 8: updated 03:59 UTC, next message 04:01 UTC → stale under the default policy', () => {
    const policy = resolveResetPolicy(undefined, { type: 'dm' })
    expect(isSessionStale({ updatedAt: at('2026-01-10T03:59:00Z') }, at('2026-01-10T04:01:00Z'), policy)).toBe(true)
  })

  it('keeps a session updated after the latest boundary, including exactly at it', () => {
    expect(isSessionStale({ updatedAt: at('2026-01-10T04:00:00Z') }, at('2026-01-10T23:59:00Z'), DAILY_4)).toBe(false)
    expect(isSessionStale({ updatedAt: at('2026-01-10T03:59:00Z') }, at('2026-01-10T03:59:59Z'), DAILY_4)).toBe(false)
    // Before today's 04:00 the boundary is yesterday's.
    expect(isSessionStale({ updatedAt: at('2026-01-09T05:00:00Z') }, at('2026-01-10T03:00:00Z'), DAILY_4)).toBe(false)
    expect(isSessionStale({ updatedAt: at('2026-01-09T03:00:00Z') }, at('2026-01-10T03:00:00Z'), DAILY_4)).toBe(true)
  })

  it('reads the daily hour in the given time zone', () => {
    // 04:00 in New York (EST, UTC-5) is 09:00 UTC.
    const entry = { updatedAt: at('2026-01-10T08:30:00Z') }
    expect(isSessionStale(entry, at('2026-01-10T08:59:00Z'), DAILY_4, 'America/New_York')).toBe(false)
    expect(isSessionStale(entry, at('2026-01-10T09:01:00Z'), DAILY_4, 'America/New_York')).toBe(true)
    expect(isSessionStale(entry, at('2026-01-10T09:01:00Z'), DAILY_4)).toBe(false)
  })

  it('applies idle timeouts, alone or alongside the daily reset (whichever comes first)', () => {
    const idle: ResetPolicy = { mode: 'idle', atHour: 4, idleMinutes: 60 }
    const entry = { updatedAt: at('2026-01-10T10:00:00Z') }
    expect(isSessionStale(entry, at('2026-01-10T11:00:00Z'), idle)).toBe(false)
    expect(isSessionStale(entry, at('2026-01-10T11:00:01Z'), idle)).toBe(true)
    // Idle-only ignores the daily boundary.
    expect(isSessionStale({ updatedAt: at('2026-01-10T03:59:00Z') }, at('2026-01-10T04:01:00Z'), idle)).toBe(false)
    const both: ResetPolicy = { mode: 'daily', atHour: 4, idleMinutes: 30 }
    expect(isSessionStale(entry, at('2026-01-10T10:31:00Z'), both)).toBe(true)
    expect(isSessionStale(entry, at('2026-01-10T10:29:00Z'), both)).toBe(false)
  })
})

describe('matchResetTrigger', () => {
  it.each([
    ['/new', { trigger: '/new', remainder: '' }],
    ['/NEW', { trigger: '/new', remainder: '' }],
    ['  /reset  ', { trigger: '/reset', remainder: '' }],
    ['/new opus tell me a joke', { trigger: '/new', remainder: 'opus tell me a joke' }],
    ['/Reset   hello', { trigger: '/reset', remainder: 'hello' }],
  ])('%j matches', (text, expected) => {
    expect(matchResetTrigger(text)).toEqual(expected)
  })

  it.each(['/newer', '/new-session', 'please /new', 'new', ''])('%j does not match', (text) => {
    expect(matchResetTrigger(text)).toBeUndefined()
  })

  it('uses configured triggers instead of the defaults', () => {
    expect(matchResetTrigger('/fresh start', ['/fresh'])).toEqual({ trigger: '/fresh', remainder: 'start' })
    expect(matchResetTrigger('/new', ['/fresh'])).toBeUndefined()
  })
})
