/**
 * Runs async tasks one at a time per key (and concurrently across keys), so read-modify-write cycles on one
 * document never interleave inside this process. A failed task does not block the tasks queued behind it.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>()

  /** Runs `task` after every task already queued under `key` has settled, and returns its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve()
    const result = previous.then(task)
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    this.#tails.set(key, tail)
    // Dropping settled tails keeps the map as small as the set of keys with work in flight.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    })
    return result
  }

  /** Number of keys with queued or running work; lets tests check that nothing leaks. */
  get pendingKeys(): number {
    return this.#tails.size
  }
}
