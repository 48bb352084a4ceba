import { describe, expect, it } from 'vitest'
import { parseConfigText } from '../config/load-config.js'
import { isWithinActiveHours, parseDurationMs, resolveHeartbeatAgents } from './heartbeat-settings.js'

async function config(text: string) {
  const loaded = await parseConfigText(text, '/state/clawdbot.json', { readText: async () => undefined, env: {}, homeDir: '/home/test' })
  if (!loaded.ok) return loaded
  return loaded
}

describe('heartbeat settings', () => {
  it('runs only the agents with their own block when any has one, merging over the defaults', async () => {
    const loaded = await config(`{ agents: { defaults: { heartbeat: { every: '30m', target: 'last' } }, list: [{ id: 'main' }, { id: 'Ops', heartbeat: { every: '1h', to: 'channel:9' } }, { id: 'quiet', heartbeat: { every: '0m' } }] } }`)
    if (!loaded.ok) throw new Error('config invalid')
    expect(resolveHeartbeatAgents(loaded.config)).toEqual([{ agentId: 'ops', every: '1h', target: 'last', to: 'channel:9', intervalMs: 3_600_000 }])
    const plain = await config(`{ agents: { defaults: { heartbeat: { every: '45' } } } }`)
    if (!plain.ok) throw new Error('config invalid')
    expect(resolveHeartbeatAgents(plain.config)).toEqual([{ agentId: 'main', every: '45', intervalMs: 45 * 60_000 }])
    // Off without an interval; a wake still reaches the default agent.
    const off = await config('{}')
    if (!off.ok) throw new Error('config invalid')
    expect(resolveHeartbeatAgents(off.config)).toEqual([])
    expect(resolveHeartbeatAgents(off.config, { requireInterval: false })).toEqual([{ agentId: 'main', intervalMs: 0 }])
  })

  it('parses durations with minutes as the default unit', () => {
    expect([parseDurationMs('30m'), parseDurationMs('1.5h'), parseDurationMs('45'), parseDurationMs('500ms'), parseDurationMs('1d'), parseDurationMs('soon')]).toEqual([1_800_000, 5_400_000, 2_700_000, 500, 86_400_000, undefined])
  })

  it('active hours: start inclusive, end exclusive, wrapping midnight, in the named zone', () => {
    const at = (iso: string) => Date.parse(iso)
    const window = { start: '22:00', end: '06:00', timezone: 'Europe/Berlin' }
    expect(isWithinActiveHours(window, at('2026-01-12T21:00:00Z'), {})).toBe(true) // 22:00 Berlin
    expect(isWithinActiveHours(window, at('2026-01-12T04:59:00Z'), {})).toBe(true) // 05:59
    expect(isWithinActiveHours(window, at('2026-01-12T05:00:00Z'), {})).toBe(false) // 06:00
    expect(isWithinActiveHours({ start: '09:00', end: '09:00' }, at('2026-01-12T03:00:00Z'), {})).toBe(true)
    expect(isWithinActiveHours({ start: '09:00', end: '17:00', timezone: 'user' }, at('2026-01-12T15:00:00Z'), { userTimezone: 'America/New_York' })).toBe(true)
    expect(isWithinActiveHours({ start: '09:00', end: '24:00', timezone: 'Nowhere/Bad' }, at('2026-01-12T08:00:00Z'), { userTimezone: 'UTC' })).toBe(false)
  })

  it("rejects bad durations and times with upstream's messages", async () => {
    const bad = await config(`{ agents: { defaults: { heartbeat: { every: 'soon', activeHours: { start: '24:00', end: '24:30' } } } } }`)
    expect(bad.ok).toBe(false)
    const messages = bad.ok ? [] : bad.issues.map((issue) => `${issue.path}: ${issue.message}`)
    expect(messages).toEqual(
      expect.arrayContaining([
        'agents.defaults.heartbeat.every: invalid duration (use ms, s, m, h)',
        'agents.defaults.heartbeat.activeHours.start: invalid time (start cannot be 24:00)',
        'agents.defaults.heartbeat.activeHours.end: invalid time (24:00 is the only allowed 24:xx value)',
      ]),
    )
  })
})
