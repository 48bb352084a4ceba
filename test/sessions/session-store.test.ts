import type { Storage } from 'unstorage'
import { beforeEach, describe, expect, it } from 'vitest'
import { SessionStore } from '../../src/sessions/session-store.js'
import type { SessionEntry } from '../../src/sessions/session-entry.js'
import { sessionsIndexKey } from '../../src/storage/keys.js'
import { STORAGE_CASES } from './storage-cases.js'

const NOW = Date.parse('2026-01-10T12:00:00Z')
const KEY = 'agent:main:main'

function entry(sessionId: string, extra: Partial<SessionEntry> = {}): SessionEntry {
  return { sessionId, updatedAt: NOW, ...extra }
}

async function readIndexText(storage: Storage, agentId = 'main'): Promise<string> {
  const raw = await storage.getItemRaw(sessionsIndexKey(agentId))
  return typeof raw === 'string' ? raw : new TextDecoder().decode(raw as Uint8Array)
}

describe.each(STORAGE_CASES)('SessionStore on %s', (_name, makeStorage) => {
  let storage: Storage
  let store: SessionStore

  beforeEach(() => {
    storage = makeStorage()
    store = new SessionStore({ storage, agentId: 'main', now: () => NOW })
  })

  it('creates, reads, lists, updates and deletes entries', async () => {
    expect(await store.get(KEY)).toBeUndefined()
    expect(await store.update(KEY, () => entry('s1'))).toEqual(entry('s1'))
    await store.update('agent:main:discord:channel:1', () => entry('s2', { chatType: 'channel' }))
    expect(await store.get(KEY)).toEqual(entry('s1'))
    expect(await store.list()).toEqual([
      { key: KEY, entry: entry('s1') },
      { key: 'agent:main:discord:channel:1', entry: entry('s2', { chatType: 'channel' }) },
    ])
    await store.update(KEY, (current) => ({ ...current!, updatedAt: NOW + 5 }))
    expect((await store.get(KEY))?.updatedAt).toBe(NOW + 5)
    expect(await store.delete(KEY)).toBe(true)
    expect(await store.delete(KEY)).toBe(false)
    expect(await store.get(KEY)).toBeUndefined()
    expect(store.getIssues()).toEqual([])
  })

  it('stores the index as a plain JSON map at the upstream path', async () => {
    await store.update(KEY, () => entry('s1'))
    expect(JSON.parse(await readIndexText(storage))).toEqual({ [KEY]: entry('s1') })
  })

  it('preserves fields it does not know, through reads and updates', async () => {
    const stored = { [KEY]: { ...entry('s1'), futureField: { nested: [1, 2] }, origin: { label: 'x', newOriginField: true } } }
    await storage.setItemRaw(sessionsIndexKey('main'), JSON.stringify(stored))
    const updated = await store.update(KEY, (current) => ({ ...current!, modelOverride: 'gpt-4o' }))
    expect(updated).toMatchObject({ futureField: { nested: [1, 2] }, origin: { newOriginField: true }, modelOverride: 'gpt-4o' })
    expect(JSON.parse(await readIndexText(storage))[KEY]).toEqual({ ...stored[KEY], modelOverride: 'gpt-4o' })
  })

  it('hands mutate a copy, so a thrown mutation leaves nothing half-changed', async () => {
    await store.update(KEY, () => entry('s1', { origin: { label: 'before' } }))
    await expect(
      store.update(KEY, (current) => {
        current!.origin!.label = 'changed'
        throw new Error('mutation failed')
      }),
    ).rejects.toThrow('mutation failed')
    expect((await store.get(KEY))?.origin?.label).toBe('before')
  })

  it('refuses to store an invalid entry', async () => {
    await expect(store.update(KEY, () => ({ updatedAt: NOW }) as SessionEntry)).rejects.toThrow(/invalid session entry/)
    expect(await store.get(KEY)).toBeUndefined()
  })

  it('loses no write when many updates to one agent run concurrently', async () => {
    const keys = Array.from({ length: 40 }, (_, index) => `agent:main:dm:${index}`)
    await Promise.all([
      ...keys.map((key, index) => store.update(key, () => entry(`s${index}`))),
      ...Array.from({ length: 25 }, () =>
        store.update(KEY, (current) => entry('counter', { inputTokens: (current?.inputTokens ?? 0) + 1 })),
      ),
    ])
    const listed = await store.list()
    expect(listed.map((row) => row.key).sort()).toEqual([...keys, KEY].sort())
    expect((await store.get(KEY))?.inputTokens).toBe(25)
  })

  it('keeps agents in separate documents', async () => {
    const other = new SessionStore({ storage, agentId: 'ops', now: () => NOW })
    await Promise.all([store.update(KEY, () => entry('main-1')), other.update('agent:ops:main', () => entry('ops-1'))])
    expect((await store.list()).map((row) => row.key)).toEqual([KEY])
    expect((await other.list()).map((row) => row.key)).toEqual(['agent:ops:main'])
  })
})
