import type { Storage } from 'unstorage'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  authProfilesKey,
  discordAllowFromKey,
  discordStateKey,
  sessionsIndexKey,
  transcriptChunkKey,
  transcriptPrefix,
} from '../../src/storage/keys.js'

/**
 * Conformance suite every storage the gateway runs on must pass (memory, fs, later KV), in the spirit of
 * unstorage's `testDriver`.
 */
export function describeStorage(name: string, makeStorage: () => Storage | Promise<Storage>): void {
  describe(`storage conformance: ${name}`, () => {
    let storage: Storage

    beforeEach(async () => {
      storage = await makeStorage()
    })

    afterEach(async () => {
      await storage.dispose()
    })

    it('stores and reads back a JSON document', async () => {
      const document = { version: 1, allowFrom: ['123', '456'], nested: { ok: true, count: 2 } }
      await storage.setItem(discordAllowFromKey(), document)
      expect(await storage.getItem(discordAllowFromKey())).toEqual(document)
      expect(await storage.hasItem(discordAllowFromKey())).toBe(true)
    })

    it('overwrites a document with a shorter one without leftovers', async () => {
      await storage.setItem('runtime:doc.json', { padding: 'x'.repeat(1000) })
      await storage.setItem('runtime:doc.json', { small: 1 })
      expect(await storage.getItem('runtime:doc.json')).toEqual({ small: 1 })
    })

    it('stores raw strings and bytes unchanged', async () => {
      const lines = '{"type":"session","version":3}\n{"type":"message"}\n'
      await storage.setItemRaw('runtime:transcript.jsonl', lines)
      expect(toText(await storage.getItemRaw('runtime:transcript.jsonl'))).toBe(lines)
      const bytes = new Uint8Array([0, 1, 2, 250, 255])
      await storage.setItemRaw('runtime:blob.bin', bytes)
      expect([...toBytes(await storage.getItemRaw('runtime:blob.bin'))]).toEqual([...bytes])
    })

    it('returns null for a missing key, also below a missing directory', async () => {
      expect(await storage.getItem('runtime:missing.json')).toBeNull()
      expect(await storage.getItemRaw('nowhere:at:all.jsonl')).toBeNull()
      expect(await storage.hasItem('runtime:missing.json')).toBe(false)
    })

    it('lists keys by prefix', async () => {
      await storage.setItem(sessionsIndexKey('main'), {})
      await storage.setItem(authProfilesKey('main'), {})
      await storage.setItem(sessionsIndexKey('work'), {})
      await storage.setItem(discordStateKey('default'), {})
      expect((await storage.getKeys('agents:main')).sort()).toEqual(
        [authProfilesKey('main'), sessionsIndexKey('main')].sort(),
      )
      expect(await storage.getKeys('discord:')).toEqual([discordStateKey('default')])
      expect(await storage.getKeys('nothing')).toEqual([])
    })

    it('removes an item', async () => {
      await storage.setItem('runtime:gone.json', { a: 1 })
      await storage.removeItem('runtime:gone.json')
      expect(await storage.getItem('runtime:gone.json')).toBeNull()
      expect(await storage.getKeys('runtime')).toEqual([])
      await expect(storage.removeItem('runtime:gone.json')).resolves.toBeUndefined()
    })

    it('round-trips keys built from awkward ids, and lists them under their prefix', async () => {
      const agentId = '../Ops Agent:2?x'
      const sessionId = '.hidden/..\\session'
      const chunks = [transcriptChunkKey(agentId, sessionId, 0), transcriptChunkKey(agentId, sessionId, 1)]
      await storage.setItem(sessionsIndexKey(agentId), { sessionKey: 'agent:ops:main' })
      for (const [index, key] of chunks.entries()) await storage.setItemRaw(key, `line ${index}\n`)
      expect(await storage.getItem(sessionsIndexKey(agentId))).toEqual({ sessionKey: 'agent:ops:main' })
      expect((await storage.getKeys(transcriptPrefix(agentId, sessionId))).sort()).toEqual(chunks)
      expect(toText(await storage.getItemRaw(chunks[1]!))).toBe('line 1\n')
      expect((await storage.getKeys('agents')).sort()).toEqual([...chunks, sessionsIndexKey(agentId)].sort())
    })

    it('ends concurrent writes to one key with one complete document', async () => {
      const key = sessionsIndexKey('main')
      // Sizes differ and pass the 512 KiB chunk of Node's writeFile, so a non-atomic driver interleaves the chunks.
      const documents = Array.from({ length: 8 }, (_, writer) => ({
        writer,
        entries: Array.from({ length: 12 - writer }, (_, entry) => `${writer}-${entry}-${'y'.repeat(100_000)}`),
      }))
      await Promise.all(documents.map((document) => storage.setItem(key, document)))
      const stored = await storage.getItem<{ writer: number }>(key)
      expect(stored).not.toBeNull()
      expect(stored).toEqual(documents[stored!.writer])
      expect(await storage.getKeys('agents')).toEqual([key])
    })
  })
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value
  if (typeof value === 'string') return new TextEncoder().encode(value)
  throw new Error(`expected bytes or a string, got ${String(value)}`)
}

function toText(value: unknown): string {
  return typeof value === 'string' ? value : new TextDecoder().decode(toBytes(value))
}
