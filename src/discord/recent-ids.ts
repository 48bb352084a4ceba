/**
 * A bounded set of recently seen interaction ids, oldest evicted first, so a re-delivered interaction is answered
 * without running its command twice. Memory stays fixed however long the process runs.
 */
export class RecentIds {
  readonly #capacity: number
  readonly #ids = new Set<string>()

  constructor(capacity = 1000) {
    this.#capacity = capacity
  }

  /** Records `id`; returns true when it was already present. */
  seen(id: string): boolean {
    if (this.#ids.has(id)) return true
    this.#ids.add(id)
    // A Set iterates in insertion order, so its first element is the oldest id.
    if (this.#ids.size > this.#capacity) this.#ids.delete(this.#ids.values().next().value as string)
    return false
  }
}
