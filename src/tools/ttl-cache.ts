const MAX_ENTRIES = 100

/**
 * The web tools' result cache (spec/agent-tools.md §2.3): at most 100 entries, oldest evicted first, keys compared
 * case-insensitively, each entry valid for the TTL it was stored with. A TTL of 0 disables caching.
 */
export class TtlCache<T> {
  readonly #entries = new Map<string, { value: T; expiresAt: number }>()

  constructor(private readonly now: () => number) {}

  get(key: string): T | undefined {
    const normalized = key.toLowerCase()
    const entry = this.#entries.get(normalized)
    if (!entry) return undefined
    if (entry.expiresAt <= this.now()) {
      this.#entries.delete(normalized)
      return undefined
    }
    return entry.value
  }

  set(key: string, value: T, ttlMs: number): void {
    if (ttlMs <= 0) return
    const normalized = key.toLowerCase()
    this.#entries.delete(normalized)
    this.#entries.set(normalized, { value, expiresAt: this.now() + ttlMs })
    while (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!)
  }
}
