import type { AgentRunner } from '../agent/agent-runner.js'
import type { RunEvent } from '../agent/run-events.js'
import type { Scheduler } from '../deps.js'
import type { ConnectionRegistry } from './connections.js'
import { DedupeCache } from './dedupe-cache.js'

// Upstream keeps ended runs for `agent.wait` this long.
const FINISHED_TTL_MS = 10 * 60_000
const FINISHED_KEPT = 5_000

/** How a run ended, as `agent.wait` reports it (aborted runs count as `ok`, as upstream). */
export interface RunLifecycleEnd {
  runId: string
  status: 'ok' | 'error'
  startedAt?: number
  endedAt: number
  error?: string
}

/**
 * Upstream's `agent` event stream (spec/agent-api.md §1.6) for every run of the runtime, sent to every operator
 * connection: `lifecycle` start/end/error and cumulative `assistant` text, each with a per-run `seq` from 1. It also
 * remembers ended runs for ten minutes, which is what `agent.wait` answers from.
 */
export class AgentEventBroadcaster {
  readonly #runs = new Map<string, { seq: number; startedAt?: number; sessionKey: string }>()
  readonly #finished: DedupeCache<RunLifecycleEnd>
  readonly #waiters = new Map<string, Set<(end: RunLifecycleEnd) => void>>()

  constructor(
    private readonly connections: ConnectionRegistry,
    private readonly now: () => number,
  ) {
    this.#finished = new DedupeCache({ ttlMs: FINISHED_TTL_MS, maxEntries: FINISHED_KEPT, now })
  }

  /** Starts forwarding the runtime's events; returns the unsubscribe function. */
  attach(runner: AgentRunner): () => void {
    return runner.subscribe((event) => this.onEvent(event))
  }

  onEvent(event: RunEvent): void {
    if (event.type === 'run-start') {
      this.#runs.set(event.runId, { seq: 0, startedAt: event.at, sessionKey: event.sessionKey })
      this.#send(event.runId, event.sessionKey, 'lifecycle', { phase: 'start', startedAt: event.at })
    } else if (event.type === 'run-delta') {
      this.#send(event.runId, event.sessionKey, 'assistant', { text: event.text, delta: event.delta })
    } else if (event.type === 'run-end' || event.type === 'run-abort') {
      this.#end(event.runId, event.sessionKey, { aborted: event.type === 'run-abort' })
    } else if (event.type === 'run-error') {
      this.#end(event.runId, event.sessionKey, { error: event.detail })
    }
  }

  /**
   * Ends a run that failed before the runtime started it (a bad `thinking`, `timeout:0`), so `agent.wait` and
   * event consumers still see an end. Upstream emits nothing here and its waits time out (spec §2).
   */
  failBeforeStart(runId: string, sessionKey: string, error: string): void {
    if (this.#finished.get(runId) !== undefined) return
    this.#runs.set(runId, { seq: 0, startedAt: this.now(), sessionKey })
    this.#end(runId, sessionKey, { error })
  }

  /** The ended run, if it ended within the last ten minutes. */
  finished(runId: string): RunLifecycleEnd | undefined {
    return this.#finished.get(runId)
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
        waiters.delete(onEnd)
        if (waiters.size === 0) this.#waiters.delete(runId)
        resolve(end)
      }
      const onEnd = (end: RunLifecycleEnd) => done(end)
      waiters.add(onEnd)
      const cancel = scheduler.after(timeoutMs, () => done(undefined))
    })
  }

  #end(runId: string, sessionKey: string, outcome: { aborted?: boolean; error?: string }): void {
    const run = this.#runs.get(runId)
    const endedAt = this.now()
    const startedAt = run?.startedAt
    if (outcome.error === undefined) {
      this.#send(runId, sessionKey, 'lifecycle', { phase: 'end', ...(startedAt === undefined ? {} : { startedAt }), endedAt, ...(outcome.aborted ? { aborted: true } : {}) })
    } else {
      this.#send(runId, sessionKey, 'lifecycle', { phase: 'error', startedAt: startedAt ?? endedAt, endedAt, error: outcome.error })
    }
    this.#runs.delete(runId)
    const end: RunLifecycleEnd = {
      runId,
      status: outcome.error === undefined ? 'ok' : 'error',
      ...(startedAt === undefined ? {} : { startedAt }),
      endedAt,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
    }
    this.#finished.set(runId, end)
    for (const waiter of [...(this.#waiters.get(runId) ?? [])]) waiter(end)
  }

  #send(runId: string, sessionKey: string, stream: string, data: Record<string, unknown>): void {
    let run = this.#runs.get(runId)
    if (run === undefined) {
      run = { seq: 0, sessionKey }
      this.#runs.set(runId, run)
    }
    run.seq += 1
    // Deltas may be dropped for a slow client; lifecycle events may not.
    this.connections.broadcast('agent', { runId, seq: run.seq, stream, ts: this.now(), data, sessionKey }, undefined, { dropIfSlow: stream === 'assistant' })
  }
}
