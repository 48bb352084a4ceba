import type { Storage } from 'unstorage'
import { beforeEach, describe, expect, it } from 'vitest'
import { SessionStore } from '../../src/sessions/session-store.js'
import { sessionsIndexCorruptKey, sessionsIndexKey } from '../../src/storage/keys.js'
import { STORAGE_CASES } from './storage-cases.js'

const NOW = Date.parse('2026-01-10T12:00:00Z')
const GOOD = { sessionId: 'good', updatedAt: NOW }
const BAD = { sessionId: 42, updatedAt: 'yesterday' }

async function readText(storage: Storage, key: string): Promise<string | undefined> {
  const raw = await storage.getItemRaw(key)
  if (raw === null) return undefined
  return typeof raw === 'string' ? raw : new TextDecoder().decode(raw as Uint8Array)
}

describe.each(STORAGE_CASES)('SessionStore with a corrupt index on %s', (_name, makeStorage) => {
  let storage: Storage
  let store: SessionStore

  beforeEach(() => {
    storage = makeStorage()
    store = new SessionStore({ storage, agentId: 'main', now: () => NOW })
  })

  it('reads an unparseable index as empty, reports it, and copies it aside before the first write', async () => {
    const garbage = '{"agent:main:main": {"sessionId": "trunc'
    await storage.setItemRaw(sessionsIndexKey('main'), garbage)
    expect(await store.list()).toEqual([])
    expect(store.getIssues()).toEqual([expect.objectContaining({ kind: 'unreadable-index' })])
    expect(await readText(storage, sessionsIndexKey('main'))).toBe(garbage)

    await store.update('agent:main:main', () => GOOD)
    expect(await readText(storage, sessionsIndexCorruptKey('main', NOW))).toBe(garbage)
    expect(JSON.parse((await readText(storage, sessionsIndexKey('main')))!)).toEqual({ 'agent:main:main': GOOD })
    expect(await store.get('agent:main:main')).toEqual(GOOD)
    expect(store.getIssues()).toEqual([])
  })

  it('treats a JSON array or an empty file as unreadable too', async () => {
    for (const text of ['[1,2]', '', 'null']) {
      await storage.setItemRaw(sessionsIndexKey('main'), text)
      expect(await store.list()).toEqual([])
      expect(store.getIssues().map((issue) => issue.kind)).toEqual(['unreadable-index'])
    }
  })

  it('hides invalid entries but keeps them when other entries are written', async () => {
    await storage.setItemRaw(sessionsIndexKey('main'), JSON.stringify({ 'agent:main:bad': BAD, 'agent:main:good': GOOD }))
    expect(await store.list()).toEqual([{ key: 'agent:main:good', entry: GOOD }])
    expect(await store.get('agent:main:bad')).toBeUndefined()
    expect(store.getIssues()).toEqual([expect.objectContaining({ kind: 'invalid-entry', key: 'agent:main:bad' })])

    await store.update('agent:main:other', () => ({ ...GOOD, sessionId: 'other' }))
    const document = JSON.parse((await readText(storage, sessionsIndexKey('main')))!)
    expect(document['agent:main:bad']).toEqual(BAD)
    expect(await storage.getKeys('agents:main:sessions')).not.toContain(sessionsIndexCorruptKey('main', NOW))
  })

  it('copies the document aside before replacing an invalid entry, without overwriting an earlier copy', async () => {
    const original = JSON.stringify({ 'agent:main:bad': BAD, 'agent:main:worse': BAD })
    await storage.setItemRaw(sessionsIndexKey('main'), original)
    await store.update('agent:main:bad', () => GOOD)
    const afterFirst = await readText(storage, sessionsIndexKey('main'))
    await store.delete('agent:main:worse')
    expect(await readText(storage, sessionsIndexCorruptKey('main', NOW))).toBe(original)
    expect(await readText(storage, sessionsIndexCorruptKey('main', NOW + 1))).toBe(afterFirst)
    expect(JSON.parse((await readText(storage, sessionsIndexKey('main')))!)).toEqual({ 'agent:main:bad': GOOD })
  })
})
