import type { Storage } from 'unstorage'
import { z } from 'zod'

/** Upstream's dedupe window and size (spec/telegram.md §6.3). */
export const DEDUPE_TTL_MS = 5 * 60_000
export const DEDUPE_CAPACITY = 2000

const FileSchema = z.looseObject({ version: z.literal(1), entries: z.array(z.tuple([z.string(), z.number()])) })

/**
 * Remembers which updates were taken, in memory and in storage, so a redelivered `update_id` never runs a second
 * turn, even after a restart within the window. `claim` resolves only once the id is durably recorded, which is what
 * lets the webhook ack. Concurrent claims share one write (a write in flight is followed by one carrying them all).
 */
export class UpdateDedupe {
  readonly #storage: Storage
  readonly #key: string
  readonly #now: () => number
  readonly #entries = new Map<string, number>()
  #loaded: Promise<void> | undefined
  #writing: Promise<void> | undefined
  #next: Promise<void> | undefined

  constructor(storage: Storage, key: string, now: () => number) {
    this.#storage = storage
    this.#key = key
    this.#now = now
  }

  /** Records `id`; resolves true when it is new (and now stored), false when it was seen within the window. */
  async claim(id: string): Promise<boolean> {
    this.#loaded ??= this.#load()
    await this.#loaded
    this.#prune()
    if (this.#entries.has(id)) return false
    this.#entries.set(id, this.#now())
    try {
      await this.#persist()
    } catch (error) {
      // Not recorded: forget it, so Telegram's retry of this update is taken instead of being dropped.
      this.#entries.delete(id)
      throw error
    }
    return true
  }

  async #load(): Promise<void> {
    const parsed = FileSchema.safeParse(await this.#storage.getItem(this.#key).catch(() => undefined))
    if (!parsed.success) return
    for (const [id, at] of parsed.data.entries) this.#entries.set(id, at)
  }

  #prune(): void {
    const oldest = this.#now() - DEDUPE_TTL_MS
    for (const [id, at] of this.#entries) {
      // Insertion order is arrival order, so the first fresh entry ends the scan.
      if (at >= oldest && this.#entries.size <= DEDUPE_CAPACITY) break
      this.#entries.delete(id)
    }
  }

  #persist(): Promise<void> {
    if (this.#next !== undefined) return this.#next
    if (this.#writing === undefined) {
      this.#writing = this.#write().finally(() => (this.#writing = undefined))
      return this.#writing
    }
    this.#next = this.#writing
      .catch(() => undefined)
      .then(() => {
        this.#next = undefined
        return this.#persist()
      })
    return this.#next
  }

  #write(): Promise<void> {
    return this.#storage.setItem(this.#key, { version: 1, entries: [...this.#entries] })
  }
}
