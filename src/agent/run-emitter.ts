import type { RunEvent, RunEventListener } from './run-events.js'

/**
 * Fans one run's events out to its own subscribers and to the runtime-wide listeners. A listener that throws is
 * dropped from that event only: one broken consumer (a closed socket, a Discord hiccup) must not stop the others.
 */
export class RunEmitter {
  readonly #listeners = new Set<RunEventListener>()

  constructor(
    private readonly global: Set<RunEventListener>,
    private readonly onListenerError: (error: unknown) => void,
  ) {}

  subscribe(listener: RunEventListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Moves this run's subscribers onto another run (a queued message folded into a collected turn). */
  forwardTo(other: RunEmitter): void {
    for (const listener of this.#listeners) other.subscribe(listener)
    this.#listeners.clear()
  }

  emit(event: RunEvent): void {
    for (const listener of [...this.#listeners, ...this.global]) {
      try {
        listener(event)
      } catch (error) {
        this.onListenerError(error)
      }
    }
  }
}
