import type { AgentRunner } from '../agent/agent-runner.js'
import type { RunEvent } from '../agent/run-events.js'
import type { Scheduler } from '../deps.js'
import type { ConnectionRegistry } from './connections.js'
import { sessionAliasFor } from './session-alias.js'
import { SerializedPayload } from './event-frame-text.js'

// Upstream sends at most one delta per run every 150 ms; the UI only keeps the longest text anyway.
const DELTA_INTERVAL_MS = 150
const SETTLED_KEPT = 500

interface RunState {
  seq: number
  lastDeltaAt: number
  /** Cancels the delta waiting out the interval. */
  pendingDelta?: () => void
  latestText: string
  /** Text of earlier model calls of this run (before a tool step), so deltas stay cumulative for the whole run. */
  prefix: string
  terminal: boolean
}

/**
 * Turns runtime events into upstream `chat` events for every connection watching the session, including runs
 * started from Discord. Each connection gets the session key in the exact spelling it used (`main` vs
 * `agent:main:main`), because the Control UI compares keys as strings.
 */
export class ChatBridge {
  readonly #runs = new Map<string, RunState>()

  constructor(
    private readonly connections: ConnectionRegistry,
    private readonly canonical: (key: string) => string,
    private readonly now: () => number,
    private readonly scheduler: Pick<Scheduler, 'after'>,
  ) {}

  /** Starts forwarding every run's events; returns the unsubscribe function. */
  attach(runner: AgentRunner): () => void {
    return runner.subscribe((event) => this.onEvent(event))
  }

  /** True once the run's single terminal event went out. */
  isSettled(runId: string): boolean {
    return this.#runs.get(runId)?.terminal === true
  }

  /** Sends a terminal event for a run the runtime ended without one (e.g. aborted while still queued). */
  settle(runId: string, sessionKey: string, state: 'final' | 'aborted' | 'error', extra: Record<string, unknown> = {}): void {
    const run = this.#state(runId)
    if (run.terminal) return
    this.#terminal(run, runId, sessionKey, { state, ...extra })
  }

  onEvent(event: RunEvent): void {
    if (event.type === 'run-start' || event.type === 'tool-update' || event.type === 'tool-result') return
    const run = this.#state(event.runId)
    if (run.terminal) return
    if (event.type === 'tool-call') {
      // The next model call streams its text from scratch; clients keep a delta only if it is not shorter.
      if (run.latestText.length > run.prefix.length) run.prefix = `${run.latestText}\n\n`
      return
    }
    if (event.type === 'run-delta') {
      run.latestText = run.prefix + event.text
      const wait = run.lastDeltaAt + DELTA_INTERVAL_MS - this.now()
      if (wait <= 0) return this.#sendDelta(run, event.runId, event.sessionKey)
      run.pendingDelta ??= this.scheduler.after(wait, () => this.#sendDelta(run, event.runId, event.sessionKey))
      return
    }
    if (event.type === 'run-end') {
      this.#terminal(run, event.runId, event.sessionKey, {
        state: 'final',
        message: { role: 'assistant', content: [{ type: 'text', text: event.text }], timestamp: event.at },
        usage: event.usage,
        stopReason: event.stopReason,
      })
    } else if (event.type === 'run-error') {
      this.#terminal(run, event.runId, event.sessionKey, { state: 'error', errorMessage: event.message })
    } else if (event.type === 'run-abort') {
      this.#terminal(run, event.runId, event.sessionKey, { state: 'aborted', stopReason: 'rpc' })
    }
  }

  #state(runId: string): RunState {
    let run = this.#runs.get(runId)
    if (!run) {
      run = { seq: 0, lastDeltaAt: 0, latestText: '', prefix: '', terminal: false }
      this.#runs.set(runId, run)
    }
    return run
  }

  #sendDelta(run: RunState, runId: string, sessionKey: string): void {
    run.pendingDelta = undefined
    if (run.terminal) return
    run.lastDeltaAt = this.now()
    this.#broadcast(run, runId, sessionKey, {
      state: 'delta',
      message: { role: 'assistant', content: [{ type: 'text', text: run.latestText }], timestamp: this.now() },
    }, true)
  }

  #terminal(run: RunState, runId: string, sessionKey: string, payload: Record<string, unknown>): void {
    run.pendingDelta?.()
    run.terminal = true
    this.#broadcast(run, runId, sessionKey, payload, false)
    // Settled markers stop a late duplicate from sending a second terminal; keep only the most recent ones.
    if (this.#runs.size > SETTLED_KEPT) {
      for (const [id, state] of this.#runs) {
        if (this.#runs.size <= SETTLED_KEPT) break
        if (state.terminal) this.#runs.delete(id)
      }
    }
  }

  #broadcast(run: RunState, runId: string, sessionKey: string, payload: Record<string, unknown>, dropIfSlow: boolean): void {
    const target = this.canonical(sessionKey)
    run.seq += 1
    // One serialisation per spelling of the key (usually one), not one per watching client.
    const serialized = new Map<string, SerializedPayload>()
    for (const connection of this.connections.list()) {
      const alias = sessionAliasFor(connection, target, this.canonical)
      if (alias === undefined) continue
      let shared = serialized.get(alias)
      if (!shared) {
        shared = SerializedPayload.of({ runId, sessionKey: alias, seq: run.seq, ...payload })
        serialized.set(alias, shared)
      }
      connection.sendEvent('chat', shared, { dropIfSlow })
    }
  }
}
