import type { Storage } from 'unstorage'
import { beforeEach, describe, expect, it } from 'vitest'
import { resolveResetPolicy, type ResetPolicy } from '../../src/sessions/reset-policy.js'
import { resetSession, resolveSession } from '../../src/sessions/resolve-session.js'
import { SessionStore } from '../../src/sessions/session-store.js'
import { TranscriptStore } from '../../src/sessions/transcript-store.js'
import { STORAGE_CASES } from './storage-cases.js'

const KEY = 'agent:main:discord:channel:123'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const DEFAULT_POLICY: ResetPolicy = resolveResetPolicy(undefined, { type: 'group' })

describe.each(STORAGE_CASES)('resolveSession on %s', (_name, makeStorage) => {
  let storage: Storage
  let clock: number
  let store: SessionStore
  let transcripts: TranscriptStore
  const now = (): number => clock

  beforeEach(() => {
    storage = makeStorage()
    clock = Date.parse('2026-01-10T12:00:00Z')
    store = new SessionStore({ storage, agentId: 'main', now })
    transcripts = new TranscriptStore({ storage })
  })

  const resolve = (extra: Partial<Parameters<typeof resolveSession>[0]> = {}) =>
    resolveSession({ store, transcripts, key: KEY, now, policy: DEFAULT_POLICY, channel: 'discord', ...extra })

  it('creates a session with a uuid, a transcript header and compactionCount 0 for an unknown key', async () => {
    const result = await resolve({ cwd: '/data/clawd', patch: { chatType: 'channel', groupChannel: '#general' } })
    expect(result).toMatchObject({ isNew: true, wasReset: false })
    expect(result.entry).toMatchObject({
      updatedAt: clock,
      chatType: 'channel',
      groupChannel: '#general',
      channel: 'discord',
      lastChannel: 'discord',
      compactionCount: 0,
    })
    expect(result.entry.sessionId).toMatch(UUID)
    expect(await store.get(KEY)).toEqual(result.entry)
    expect(await transcripts.read('main', result.entry.sessionId)).toEqual([
      { type: 'session', version: 3, id: result.entry.sessionId, timestamp: '2026-01-10T12:00:00.000Z', cwd: '/data/clawd' },
    ])
  })

  it('keeps the session and refreshes updatedAt while it is fresh', async () => {
    const first = await resolve()
    clock += 60_000
    const second = await resolve()
    expect(second).toMatchObject({ isNew: false, wasReset: false })
    expect(second.entry.sessionId).toBe(first.entry.sessionId)
    expect(second.entry.updatedAt).toBe(clock)
    expect(await transcripts.read('main', first.entry.sessionId)).toHaveLength(1)
  })

  it('spec vector 8: updated 03:59 UTC, next message 04:01 UTC → new sessionId, counters reset, overrides kept', async () => {
    clock = Date.parse('2026-01-10T03:59:00Z')
    const first = await resolve()
    await store.update(KEY, (current) => ({ ...current!, inputTokens: 500, compactionCount: 3, systemSent: true, modelOverride: 'gpt-4o', label: 'ops' }))
    clock = Date.parse('2026-01-10T04:01:00Z')
    const second = await resolve()
    expect(second).toMatchObject({ isNew: true, wasReset: true })
    expect(second.entry.sessionId).not.toBe(first.entry.sessionId)
    expect(second.entry).toMatchObject({ compactionCount: 0, modelOverride: 'gpt-4o', label: 'ops', updatedAt: clock })
    expect(second.entry.inputTokens).toBeUndefined()
    expect(second.entry.systemSent).toBeUndefined()
    expect(await transcripts.read('main', second.entry.sessionId)).toEqual([expect.objectContaining({ type: 'session', id: second.entry.sessionId })])
  })

  it('creates one new session when messages race past the reset boundary', async () => {
    clock = Date.parse('2026-01-10T03:59:00Z')
    await resolve()
    clock = Date.parse('2026-01-10T04:01:00Z')
    const results = await Promise.all(Array.from({ length: 5 }, () => resolve()))
    expect(new Set(results.map((result) => result.entry.sessionId)).size).toBe(1)
    expect(results.filter((result) => result.wasReset)).toHaveLength(1)
  })

  it('uses the idle policy it is given', async () => {
    const idle: ResetPolicy = { mode: 'idle', atHour: 4, idleMinutes: 10 }
    const first = await resolve({ policy: idle })
    clock += 10 * 60_000
    expect((await resolve({ policy: idle })).entry.sessionId).toBe(first.entry.sessionId)
    clock += 10 * 60_000 + 1
    expect((await resolve({ policy: idle })).wasReset).toBe(true)
  })

  it('resetSession forces a new sessionId, keeping overrides unless asked to drop them', async () => {
    const first = await resolve()
    await store.update(KEY, (current) => ({ ...current!, modelOverride: 'gpt-4o', totalTokens: 99, custom: 'kept' }))
    const kept = await resetSession({ store, transcripts, key: KEY, now })
    expect(kept).toMatchObject({ isNew: true, wasReset: true })
    expect(kept.entry.sessionId).not.toBe(first.entry.sessionId)
    expect(kept.entry).toMatchObject({ modelOverride: 'gpt-4o', custom: 'kept', compactionCount: 0, channel: 'discord' })
    expect(kept.entry.totalTokens).toBeUndefined()
    const dropped = await resetSession({ store, transcripts, key: KEY, now, keepOverrides: false })
    expect(dropped.entry.modelOverride).toBeUndefined()
    expect(dropped.entry).toMatchObject({ custom: 'kept', channel: 'discord' })
    expect(await transcripts.read('main', dropped.entry.sessionId)).toHaveLength(1)
  })

  it('resetSession on an unknown key creates it', async () => {
    const created = await resetSession({ store, transcripts, key: 'agent:main:main', now })
    expect(created).toMatchObject({ isNew: true, wasReset: false })
    expect(await store.get('agent:main:main')).toEqual(created.entry)
  })
})
