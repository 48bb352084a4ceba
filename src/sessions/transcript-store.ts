import type { Storage } from 'unstorage'
import { z } from 'zod'
import { AppError } from '../errors.js'
import { transcriptChunkKey, transcriptMetaKey } from '../storage/keys.js'
import { decodeStoredText } from './decode-stored-text.js'
import { KeyedQueue } from './keyed-queue.js'
import { TranscriptEntrySchema, type TranscriptEntry } from './transcript-entry.js'

/** Entries per chunk before a new one starts; bounds what one append reads and rewrites. */
export const DEFAULT_CHUNK_SIZE = 200
/** Characters per chunk before a new one starts, so large entries (tool results) do not make rewrites costly. */
export const DEFAULT_CHUNK_TEXT_LENGTH = 32_768

/** Options of `TranscriptStore`. */
export interface TranscriptStoreOptions {
  storage: Storage
  /** Lines per chunk; a single append larger than this still lands in one chunk, so it stays all-or-nothing. */
  chunkSize?: number
  /** JSONL characters per chunk (about bytes); the same all-or-nothing exception applies. */
  chunkTextLength?: number
}

/** A transcript line that could not be used. */
export interface TranscriptIssue {
  chunk: number
  line: number
  message: string
}

/** Options of `TranscriptStore.read`. */
export interface TranscriptReadOptions {
  /** Return only the tail that starts at the `limit`-th last message entry (later non-message entries included). */
  limit?: number
  /** Called for each unparseable or invalid line, which is then skipped. */
  onIssue?: (issue: TranscriptIssue) => void
}

// The head document only has to say where the tail is; a stale value is corrected by probing forward.
const MetaSchema = z.looseObject({ lastChunk: z.number().int().min(0) })

/**
 * Session transcripts as JSONL chunks plus a small meta document, so an append costs the same at any length: it
 * reads and rewrites only the last chunk, which is bounded in entries and in size. Write order: the chunk first
 * (one atomic write holding the whole append), the meta second and only when a new chunk starts; readers probe
 * past the meta for a newer chunk, so a crash between the two loses nothing. Appends are serialised per session
 * inside this instance.
 */
export class TranscriptStore {
  readonly #storage: Storage
  readonly #chunkSize: number
  readonly #chunkTextLength: number
  readonly #queue = new KeyedQueue()

  constructor(options: TranscriptStoreOptions) {
    this.#storage = options.storage
    this.#chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE
    this.#chunkTextLength = options.chunkTextLength ?? DEFAULT_CHUNK_TEXT_LENGTH
    for (const [name, value] of [['chunkSize', this.#chunkSize], ['chunkTextLength', this.#chunkTextLength]] as const) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new AppError('internal', `[sessions] TranscriptStore ${name} must be a positive integer`)
      }
    }
  }

  /** Appends entries after the current tail; entries whose id is already in the tail chunk are skipped (retries). */
  append(agentId: string, sessionId: string, entries: TranscriptEntry[]): Promise<void> {
    return this.#queue.run(`${agentId}\u0000${sessionId}`, async () => {
      const { lastChunk, metaLags } = await this.#findLastChunk(agentId, sessionId)
      const text = (await this.#readChunk(agentId, sessionId, lastChunk)) ?? ''
      const lines = text.split('\n').filter((line) => line.trim() !== '')
      const seen = new Set(lines.map(lineId))
      const fresh = entries.filter((entry) => !seen.has(entry.id) && seen.add(entry.id))
      if (fresh.length === 0) return
      const appended = fresh.map((entry) => `${JSON.stringify(entry)}\n`).join('')
      const full =
        lines.length + fresh.length > this.#chunkSize || text.length + appended.length > this.#chunkTextLength
      if (lines.length > 0 && full) {
        await this.#storage.setItemRaw(transcriptChunkKey(agentId, sessionId, lastChunk + 1), appended)
        await this.#writeMeta(agentId, sessionId, lastChunk + 1)
        return
      }
      // A torn last line (from a non-atomic writer) stays on its own line, where readers skip it.
      const separator = text === '' || text.endsWith('\n') ? '' : '\n'
      await this.#storage.setItemRaw(transcriptChunkKey(agentId, sessionId, lastChunk), text + separator + appended)
      if (metaLags) await this.#writeMeta(agentId, sessionId, lastChunk)
    })
  }

  /** The transcript's valid entries in append order, each id once; `limit` reads only the chunks it needs. */
  async read(agentId: string, sessionId: string, options: TranscriptReadOptions = {}): Promise<TranscriptEntry[]> {
    const { lastChunk } = await this.#findLastChunk(agentId, sessionId)
    const limit = options.limit ?? Number.POSITIVE_INFINITY
    const chunks: TranscriptEntry[][] = []
    let messages = 0
    for (let chunk = lastChunk; chunk >= 0 && messages < limit; chunk -= 1) {
      const entries = this.#parseChunk(await this.#readChunk(agentId, sessionId, chunk), chunk, options.onIssue)
      messages += entries.filter((entry) => entry.type === 'message').length
      chunks.unshift(entries)
    }
    const seen = new Set<string>()
    const entries = chunks.flat().filter((entry) => !seen.has(entry.id) && seen.add(entry.id))
    if (!Number.isFinite(limit)) return entries
    let start = entries.length
    let found = 0
    while (start > 0 && found < limit) {
      start -= 1
      if (entries[start]!.type === 'message') found += 1
    }
    return entries.slice(start)
  }

  /** Removes every chunk and the meta document, newest chunk first. */
  delete(agentId: string, sessionId: string): Promise<void> {
    return this.#queue.run(`${agentId}\u0000${sessionId}`, async () => {
      const { lastChunk } = await this.#findLastChunk(agentId, sessionId)
      for (let chunk = lastChunk; chunk >= 0; chunk -= 1) {
        await this.#storage.removeItem(transcriptChunkKey(agentId, sessionId, chunk))
      }
      await this.#storage.removeItem(transcriptMetaKey(agentId, sessionId))
    })
  }

  async #findLastChunk(agentId: string, sessionId: string): Promise<{ lastChunk: number; metaLags: boolean }> {
    const meta = MetaSchema.safeParse(await this.#storage.getItem(transcriptMetaKey(agentId, sessionId)))
    const recorded = meta.success ? meta.data.lastChunk : 0
    let lastChunk = recorded
    while (await this.#storage.hasItem(transcriptChunkKey(agentId, sessionId, lastChunk + 1))) lastChunk += 1
    return { lastChunk, metaLags: lastChunk !== recorded }
  }

  async #readChunk(agentId: string, sessionId: string, chunk: number): Promise<string | undefined> {
    return decodeStoredText(await this.#storage.getItemRaw(transcriptChunkKey(agentId, sessionId, chunk)))
  }

  #writeMeta(agentId: string, sessionId: string, lastChunk: number): Promise<void> {
    return this.#storage.setItemRaw(transcriptMetaKey(agentId, sessionId), JSON.stringify({ lastChunk }))
  }

  #parseChunk(text: string | undefined, chunk: number, onIssue: TranscriptReadOptions['onIssue']): TranscriptEntry[] {
    const entries: TranscriptEntry[] = []
    for (const [index, line] of (text ?? '').split('\n').entries()) {
      if (line.trim() === '') continue
      const parsed = TranscriptEntrySchema.safeParse(parseJson(line))
      if (parsed.success) entries.push(parsed.data)
      else onIssue?.({ chunk, line: index + 1, message: '[sessions] skipped a transcript line that is not a valid entry' })
    }
    return entries
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    return undefined
  }
}

function lineId(line: string): string | undefined {
  const value = parseJson(line)
  return typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string' ? value.id : undefined
}
