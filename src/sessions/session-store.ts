import type { Storage } from 'unstorage'
import { AppError } from '../errors.js'
import { sessionsIndexCorruptKey, sessionsIndexKey } from '../storage/keys.js'
import { decodeStoredText } from './decode-stored-text.js'
import { KeyedQueue } from './keyed-queue.js'
import { SessionEntrySchema, type SessionEntry } from './session-entry.js'

/** What the store needs; `now` stamps the copies it keeps of corrupt documents. */
export interface SessionStoreOptions {
  storage: Storage
  agentId: string
  now: () => number
}

/** A problem found in the stored index; the store keeps working on what is valid. */
export interface SessionStoreIssue {
  kind: 'unreadable-index' | 'invalid-entry'
  /** Session key of an invalid entry. */
  key?: string
  message: string
}

type IndexRow = { valid: true; entry: SessionEntry } | { valid: false; raw: unknown }

interface LoadedIndex {
  text: string | undefined
  unreadable: boolean
  rows: Map<string, IndexRow>
}

/**
 * One agent's session index (session key → SessionEntry) in a single JSON document. Updates are serialised inside
 * this instance, so keep one instance per agent per process. Invalid entries are hidden from reads but kept on
 * write, and any write that would drop unreadable content first copies the document to a `sessions-corrupt-*` key.
 * @see spec/config-and-runtime.md §5.3
 */
export class SessionStore {
  readonly agentId: string
  readonly #storage: Storage
  readonly #now: () => number
  readonly #queue = new KeyedQueue()
  #issues: SessionStoreIssue[] = []

  constructor(options: SessionStoreOptions) {
    this.agentId = options.agentId
    this.#storage = options.storage
    this.#now = options.now
  }

  /** The valid entry stored under `key`, if any. */
  async get(key: string): Promise<SessionEntry | undefined> {
    const row = (await this.#load()).rows.get(key)
    return row?.valid === true ? row.entry : undefined
  }

  /** Every valid entry, in document order. */
  async list(): Promise<{ key: string; entry: SessionEntry }[]> {
    const { rows } = await this.#load()
    return [...rows].flatMap(([key, row]) => (row.valid ? [{ key, entry: row.entry }] : []))
  }

  /**
   * Read-modify-write of one entry: `mutate` gets a copy of the current entry (undefined when missing or invalid)
   * and returns the new entry, or undefined to remove it. Returns what was stored.
   */
  update(
    key: string,
    mutate: (current: SessionEntry | undefined) => SessionEntry | undefined,
  ): Promise<SessionEntry | undefined> {
    return this.#queue.run(this.agentId, async () => {
      const index = await this.#load()
      const row = index.rows.get(key)
      const next = mutate(row?.valid === true ? structuredClone(row.entry) : undefined)
      let stored: SessionEntry | undefined
      if (next === undefined) {
        if (row === undefined) return undefined
        index.rows.delete(key)
      } else {
        const parsed = SessionEntrySchema.safeParse(next)
        if (!parsed.success) {
          throw new AppError('internal', '[sessions] refusing to store an invalid session entry', { cause: parsed.error })
        }
        stored = parsed.data
        index.rows.set(key, { valid: true, entry: stored })
      }
      await this.#save(index, index.unreadable || row?.valid === false)
      return stored
    })
  }

  /** Removes one entry; returns whether something was removed. */
  async delete(key: string): Promise<boolean> {
    let existed = false
    await this.update(key, (current) => {
      existed = current !== undefined
      return undefined
    })
    return existed
  }

  /** Problems found by the most recent read of the index (empty when it was clean). */
  getIssues(): SessionStoreIssue[] {
    return [...this.#issues]
  }

  async #load(): Promise<LoadedIndex> {
    const text = decodeStoredText(await this.#storage.getItemRaw(sessionsIndexKey(this.agentId)))
    const issues: SessionStoreIssue[] = []
    const rows = new Map<string, IndexRow>()
    const document = text === undefined ? {} : parseDocument(text)
    if (document === undefined) {
      issues.push({ kind: 'unreadable-index', message: '[sessions] the session index is not a JSON object' })
    }
    for (const [key, raw] of Object.entries(document ?? {})) {
      const parsed = SessionEntrySchema.safeParse(raw)
      if (parsed.success) {
        rows.set(key, { valid: true, entry: parsed.data })
      } else {
        rows.set(key, { valid: false, raw })
        issues.push({ kind: 'invalid-entry', key, message: '[sessions] a session entry failed validation' })
      }
    }
    this.#issues = issues
    return { text, unreadable: document === undefined, rows }
  }

  async #save(index: LoadedIndex, dropsUnreadableContent: boolean): Promise<void> {
    if (dropsUnreadableContent && index.text !== undefined) {
      let timestamp = Math.max(0, Math.floor(this.#now()))
      // Never overwrite an earlier copy: it may hold content this write no longer has.
      while (await this.#storage.hasItem(sessionsIndexCorruptKey(this.agentId, timestamp))) timestamp += 1
      await this.#storage.setItemRaw(sessionsIndexCorruptKey(this.agentId, timestamp), index.text)
    }
    const document = Object.fromEntries(
      [...index.rows].map(([key, row]) => [key, row.valid ? row.entry : row.raw] as const),
    )
    await this.#storage.setItemRaw(sessionsIndexKey(this.agentId), JSON.stringify(document, null, 2))
  }
}

function parseDocument(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
    return value as Record<string, unknown>
  } catch {
    return undefined
  }
}
