import type { AgentRunner } from '../agent/agent-runner.js'
import type { RunEvent } from '../agent/run-events.js'
import type { Scheduler } from '../deps.js'
import { DedupeCache } from './dedupe-cache.js'

// Upstream keeps ended runs for `agent.wait` this long.
const FINISHED_TTL_MS = 10 * 60_000
const FINISHED_KEPT = 5_000
const STARTED_KEPT = 1_000

/** How a run ended, as `agent.wait` reports it (aborted runs count as `ok`, as upstream). */
export interface RunLifecycleEnd {
  runId: string
  status: 'ok' | 'error'
  startedAt?: number
  endedAt: number
  error?: string
}

/**
 * Every run's lifecycle as `agent.wait` needs it (spec/agent-api.md §2): start times of running runs, the ends of
 * runs that finished in the last ten minutes, and waiters for runs still going.
 */
export class RunLifecycleCache {
  readonly #started = new Map<string, number>()
  readonly #finished: DedupeCache<RunLifecycleEnd>
  readonly #waiters = new Map<string, Set<(end: RunLifecycleEnd) => void>>()

  constructor(now: () => number) {
    this.#finished = new DedupeCache({ ttlMs: FINISHED_TTL_MS, maxEntries: FINISHED_KEPT, now })
  }

  /** Starts following the runtime's runs; returns the unsubscribe function. */
  attach(runner: AgentRunner): () => void {
    return runner.subscribe((event) => this.onEvent(event))
  }

  onEvent(event: RunEvent): void {
    if (event.type === 'run-start') {
      this.#started.set(event.runId, event.at)
      if (this.#started.size > STARTED_KEPT) this.#started.delete(this.#started.keys().next().value!)
    } else if (event.type === 'run-end' || event.type === 'run-abort') {
      this.#end(event.runId, event.at)
    } else if (event.type === 'run-error') {
      this.#end(event.runId, event.at, event.detail || event.message)
    }
  }

  /** Resolves with the run's end, or undefined after `timeoutMs` (0: only what is already known). */
  wait(runId: string, timeoutMs: number, scheduler: Scheduler): Promise<RunLifecycleEnd | undefined> {
    const known = this.#finished.get(runId)
    if (known !== undefined || timeoutMs <= 0) return Promise.resolve(known)
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(runId) ?? new Set()
      this.#waiters.set(runId, waiters)
      const done = (end: RunLifecycleEnd | undefined) => {
        cancel()
        waiters.delete(done)
        if (waiters.size === 0) this.#waiters.delete(runId)
        resolve(end)
      }
      waiters.add(done)
      const cancel = scheduler.after(timeoutMs, () => done(undefined))
    })
  }

  #end(runId: string, endedAt: number, error?: string): void {
    const startedAt = this.#started.get(runId)
    this.#started.delete(runId)
    const end: RunLifecycleEnd = {
      runId,
      status: error === undefined ? 'ok' : 'error',
      ...(startedAt === undefined ? {} : { startedAt }),
      endedAt,
      ...(error === undefined ? {} : { error }),
    }
    this.#finished.set(runId, end)
    for (const waiter of [...(this.#waiters.get(runId) ?? [])]) waiter(end)
  }
}
