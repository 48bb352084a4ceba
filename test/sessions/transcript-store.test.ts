import type { Storage } from 'unstorage'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMessageEntry, createTranscriptHeader, type TranscriptEntry } from '../../src/sessions/transcript-entry.js'
import { TranscriptStore, type TranscriptIssue } from '../../src/sessions/transcript-store.js'
import { transcriptChunkKey, transcriptMetaKey, transcriptPrefix } from '../../src/storage/keys.js'
import { STORAGE_CASES } from './storage-cases.js'

const NOW = Date.parse('2026-01-10T12:00:00Z')
const AGENT = 'main'
const SESSION = '0b6f0c1e-1c7a-4a8e-9d55-6f1f2a0c9b11'

function userEntry(text: string): TranscriptEntry {
  return createMessageEntry({ role: 'user', content: text, timestamp: NOW }, null, NOW)
}

function texts(entries: TranscriptEntry[]): string[] {
  return entries.flatMap((entry) => (entry.type === 'message' && entry.message.role === 'user' ? [String(entry.message.content)] : []))
}

async function chunkLineCounts(storage: Storage): Promise<number[]> {
  const counts: number[] = []
  for (let chunk = 0; await storage.hasItem(transcriptChunkKey(AGENT, SESSION, chunk)); chunk += 1) {
    const raw = await storage.getItemRaw(transcriptChunkKey(AGENT, SESSION, chunk))
    const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw as Uint8Array)
    counts.push(text.split('\n').filter(Boolean).length)
  }
  return counts
}

// Counts storage calls per method, so tests can show what one append touches.
function countingStorage(storage: Storage): { storage: Storage; calls: Map<string, string[]> } {
  const calls = new Map<string, string[]>()
  const proxy = new Proxy(storage, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        calls.set(String(property), [...(calls.get(String(property)) ?? []), String(args[0])])
        return value.apply(target, args)
      }
    },
  })
  return { storage: proxy, calls }
}

describe.each(STORAGE_CASES)('TranscriptStore on %s', (_name, makeStorage) => {
  let storage: Storage

  beforeEach(() => {
    storage = makeStorage()
  })

  it('reads back the header and messages in append order', async () => {
    const store = new TranscriptStore({ storage })
    const header = createTranscriptHeader(SESSION, NOW, '/data/clawd')
    await store.append(AGENT, SESSION, [header, userEntry('one')])
    await store.append(AGENT, SESSION, [userEntry('two'), userEntry('three')])
    const entries = await store.read(AGENT, SESSION)
    expect(entries[0]).toEqual(header)
    expect(texts(entries)).toEqual(['one', 'two', 'three'])
    expect(await store.read(AGENT, 'missing-session')).toEqual([])
  })

  it('splits the transcript into chunks of at most chunkSize lines, tracked by the meta document', async () => {
    const store = new TranscriptStore({ storage, chunkSize: 3 })
    for (let index = 0; index < 10; index += 1) await store.append(AGENT, SESSION, [userEntry(`m${index}`)])
    expect(await chunkLineCounts(storage)).toEqual([3, 3, 3, 1])
    expect(await storage.getItem(transcriptMetaKey(AGENT, SESSION))).toEqual({ lastChunk: 3 })
    expect(texts(await new TranscriptStore({ storage, chunkSize: 3 }).read(AGENT, SESSION))).toEqual(
      Array.from({ length: 10 }, (_, index) => `m${index}`),
    )
  })

  it('starts a new chunk once the tail would pass chunkTextLength characters', async () => {
    const store = new TranscriptStore({ storage, chunkTextLength: 1000 })
    const lineLength = JSON.stringify(userEntry('m0')).length + 1
    for (let index = 0; index < 10; index += 1) await store.append(AGENT, SESSION, [userEntry(`m${index}`)])
    const perChunk = Math.floor(1000 / lineLength)
    const expected = Array.from({ length: Math.ceil(10 / perChunk) }, (_, chunk) => Math.min(perChunk, 10 - chunk * perChunk))
    expect(perChunk).toBeGreaterThan(1)
    expect(await chunkLineCounts(storage)).toEqual(expected)
    const huge = userEntry('x'.repeat(5000))
    await store.append(AGENT, SESSION, [huge])
    expect((await chunkLineCounts(storage)).at(-1)).toBe(1)
    expect((await store.read(AGENT, SESSION)).at(-1)).toEqual(huge)
  })

  it('writes a batch larger than a chunk into one chunk, so an append is all-or-nothing', async () => {
    const store = new TranscriptStore({ storage, chunkSize: 3 })
    await store.append(AGENT, SESSION, [userEntry('a')])
    await store.append(AGENT, SESSION, Array.from({ length: 5 }, (_, index) => userEntry(`batch${index}`)))
    expect(await chunkLineCounts(storage)).toEqual([1, 5])
  })

  it('makes the same storage calls per append at 5 and at 600 entries', async () => {
    const counted = countingStorage(storage)
    const store = new TranscriptStore({ storage: counted.storage, chunkSize: 200 })
    const profile = async (): Promise<Record<string, number>> => {
      counted.calls.clear()
      await store.append(AGENT, SESSION, [userEntry('probe')])
      return Object.fromEntries([...counted.calls].map(([method, keys]) => [method, keys.length]))
    }
    for (let index = 0; index < 4; index += 1) await store.append(AGENT, SESSION, [userEntry(`seed${index}`)])
    const early = await profile()
    for (let index = 0; index < 3; index += 1) {
      await store.append(AGENT, SESSION, Array.from({ length: 200 }, (_, entry) => userEntry(`bulk${index}-${entry}`)))
    }
    await store.append(AGENT, SESSION, [userEntry('fill')])
    const late = await profile()
    expect(late).toEqual(early)
    expect(early).toEqual({ getItem: 1, hasItem: 1, getItemRaw: 1, setItemRaw: 1 })
  })

  it('reads only the chunks a limit needs, and returns the tail from the Nth-last message', async () => {
    const store = new TranscriptStore({ storage, chunkSize: 4 })
    await store.append(AGENT, SESSION, [createTranscriptHeader(SESSION, NOW)])
    for (let index = 0; index < 20; index += 1) await store.append(AGENT, SESSION, [userEntry(`m${index}`)])
    const note: TranscriptEntry = { type: 'custom', id: 'c0ffee00', parentId: null, timestamp: 't', customType: 'note' }
    await store.append(AGENT, SESSION, [note])

    const counted = countingStorage(storage)
    const limited = await new TranscriptStore({ storage: counted.storage, chunkSize: 4 }).read(AGENT, SESSION, { limit: 3 })
    expect(texts(limited)).toEqual(['m17', 'm18', 'm19'])
    expect(limited.at(-1)).toEqual(note)
    expect(counted.calls.get('getItemRaw')?.length).toBeLessThanOrEqual(2)
    expect(texts(await store.read(AGENT, SESSION, { limit: 100 }))).toHaveLength(20)
    expect(await store.read(AGENT, SESSION, { limit: 0 })).toEqual([])
  })

  it('finds chunks written after the meta document, as a crash between the two writes leaves them', async () => {
    const store = new TranscriptStore({ storage, chunkSize: 2 })
    for (let index = 0; index < 7; index += 1) await store.append(AGENT, SESSION, [userEntry(`m${index}`)])
    // Roll the meta back as if the process died after writing chunks 1-3 but before recording them.
    await storage.removeItem(transcriptMetaKey(AGENT, SESSION))
    const fresh = new TranscriptStore({ storage, chunkSize: 2 })
    expect(texts(await fresh.read(AGENT, SESSION))).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'])
    await fresh.append(AGENT, SESSION, [userEntry('m7')])
    expect(await chunkLineCounts(storage)).toEqual([2, 2, 2, 2])
    expect(await storage.getItem(transcriptMetaKey(AGENT, SESSION))).toEqual({ lastChunk: 3 })
  })

  it('skips entries already in the tail when an append is retried, and dedupes by id on read', async () => {
    const store = new TranscriptStore({ storage, chunkSize: 3 })
    const batch = [userEntry('a'), userEntry('b')]
    await store.append(AGENT, SESSION, batch)
    await store.append(AGENT, SESSION, batch)
    await store.append(AGENT, SESSION, [batch[1]!, userEntry('c')])
    expect(texts(await store.read(AGENT, SESSION))).toEqual(['a', 'b', 'c'])
    // A duplicate in an older chunk (beyond what append checks) is still read once.
    await store.append(AGENT, SESSION, [userEntry('d')])
    await storage.setItemRaw(transcriptChunkKey(AGENT, SESSION, 2), `${JSON.stringify(batch[0])}\n`)
    expect(texts(await store.read(AGENT, SESSION))).toEqual(['a', 'b', 'c', 'd'])
  })

  it('skips and reports torn or invalid lines, and keeps appending after them', async () => {
    const store = new TranscriptStore({ storage })
    await store.append(AGENT, SESSION, [userEntry('before')])
    const raw = await storage.getItemRaw(transcriptChunkKey(AGENT, SESSION, 0))
    const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw as Uint8Array)
    await storage.setItemRaw(transcriptChunkKey(AGENT, SESSION, 0), `${text}{"type":"message","id":"1234`)
    await store.append(AGENT, SESSION, [userEntry('after')])
    const issues: TranscriptIssue[] = []
    expect(texts(await store.read(AGENT, SESSION, { onIssue: (issue) => issues.push(issue) }))).toEqual(['before', 'after'])
    expect(issues).toEqual([{ chunk: 0, line: 2, message: expect.stringContaining('skipped') }])
  })

  it('loses nothing when appends to one session run concurrently', async () => {
    const store = new TranscriptStore({ storage, chunkSize: 7 })
    const expected = Array.from({ length: 40 }, (_, index) => `m${index}`)
    await Promise.all(expected.map((text) => store.append(AGENT, SESSION, [userEntry(text)])))
    expect(texts(await store.read(AGENT, SESSION))).toEqual(expected)
    expect(Math.max(...(await chunkLineCounts(storage)))).toBeLessThanOrEqual(7)
  })

  it('deletes every chunk and the meta document', async () => {
    const store = new TranscriptStore({ storage, chunkSize: 2 })
    for (let index = 0; index < 5; index += 1) await store.append(AGENT, SESSION, [userEntry(`m${index}`)])
    await store.append(AGENT, 'other-session', [userEntry('keep')])
    await store.delete(AGENT, SESSION)
    expect(await storage.getKeys(transcriptPrefix(AGENT, SESSION))).toEqual([])
    expect(await store.read(AGENT, SESSION)).toEqual([])
    expect(texts(await store.read(AGENT, 'other-session'))).toEqual(['keep'])
  })

  it('rejects a chunk size that is not a positive integer', () => {
    expect(() => new TranscriptStore({ storage, chunkSize: 0 })).toThrow(/chunkSize/)
    expect(() => new TranscriptStore({ storage, chunkTextLength: 1.5 })).toThrow(/chunkTextLength/)
  })
})
