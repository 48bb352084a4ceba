/**
 * Idempotency and recent-result memory for WS methods (`agent`, `send`, `poll`, `agent.wait`): entries expire after
 * `ttlMs` and the oldest go first beyond `maxEntries`, so memory stays bounded however long the gateway runs.
 * Values are usually promises, so a duplicate arriving while the first call is in flight shares its outcome.
 */
export class DedupeCache<Value> {
  readonly #entries = new Map<string, { value: Value; expiresAt: number }>()

  constructor(private readonly options: { ttlMs: number; maxEntries: number; now: () => number }) {}

  get(key: string): Value | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= this.options.now()) {
      this.#entries.delete(key)
      return undefined
    }
    return entry.value
  }

  delete(key: string): void {
    this.#entries.delete(key)
  }

  set(key: string, value: Value): void {
    this.#entries.delete(key)
    this.#entries.set(key, { value, expiresAt: this.options.now() + this.options.ttlMs })
    // A Map iterates in insertion order, so the first keys are the oldest.
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.options.maxEntries) break
      this.#entries.delete(oldest)
    }
  }
}
