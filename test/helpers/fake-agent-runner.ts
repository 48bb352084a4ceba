import type { AgentRunner, InboundMessage, RunHandle, RunOutcome } from '../../src/agent/agent-runner.js'
import type { RunEvent, RunEventListener } from '../../src/agent/run-events.js'
import type { ModelUsage } from '../../src/providers/model-provider.js'

/**
 * An `AgentRunner` whose runs the test drives by hand: `await runner.nextRun()` yields the run started by the next
 * `send`, then `delta()`, `end()`, `fail()` emit the same `RunEvent`s and outcomes the real runtime would.
 */
export class FakeAgentRunner implements AgentRunner {
  readonly sent: InboundMessage[] = []
  readonly aborted: string[] = []
  readonly runs: FakeRun[] = []
  /** Status the next `send` reports (`queued`/`merged` to exercise those paths). */
  nextStatus: RunHandle['status'] = 'started'
  readonly #listeners = new Set<RunEventListener>()
  readonly #waiting: Array<(run: FakeRun) => void> = []

  send(message: InboundMessage): RunHandle {
    this.sent.push(message)
    const run = new FakeRun(`run-${this.runs.length + 1}`, message.sessionKey, this.nextStatus, (event) => {
      for (const listener of this.#listeners) listener(event)
    })
    this.nextStatus = 'started'
    this.runs.push(run)
    this.#waiting.shift()?.(run)
    return run.handle
  }

  /** The run of the next `send` (or the latest one not yet taken, if it already happened). */
  nextRun(): Promise<FakeRun> {
    const untaken = this.runs.find((run) => !run.taken)
    if (untaken !== undefined) {
      untaken.taken = true
      return Promise.resolve(untaken)
    }
    return new Promise((resolve) =>
      this.#waiting.push((run) => {
        run.taken = true
        resolve(run)
      }),
    )
  }

  abort(sessionKey: string): boolean {
    this.aborted.push(sessionKey)
    const run = this.runs.find((candidate) => candidate.sessionKey === sessionKey && !candidate.settled)
    if (run === undefined) return false
    run.abort()
    return true
  }

  subscribe(listener: RunEventListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  activeRun(sessionKey: string): { runId: string; startedAt: number } | undefined {
    const run = this.runs.find((candidate) => candidate.sessionKey === sessionKey && !candidate.settled)
    return run === undefined ? undefined : { runId: run.runId, startedAt: 0 }
  }

  stats(): { active: number; queued: number } {
    return { active: this.runs.filter((run) => !run.settled).length, queued: 0 }
  }
}

/** One scripted run. */
export class FakeRun {
  readonly handle: RunHandle
  taken = false
  settled = false
  /** Set when the caller withdrew this message (`handle.cancel()`). */
  cancelled = false
  text = ''
  readonly #listeners = new Set<RunEventListener>()
  readonly #emitGlobal: (event: RunEvent) => void
  #settle!: (outcome: RunOutcome) => void

  constructor(readonly runId: string, readonly sessionKey: string, status: RunHandle['status'], emitGlobal: (event: RunEvent) => void) {
    this.#emitGlobal = emitGlobal
    const done = new Promise<RunOutcome>((resolve) => (this.#settle = resolve))
    this.handle = {
      runId,
      sessionKey,
      status,
      subscribe: (listener) => {
        this.#listeners.add(listener)
        return () => this.#listeners.delete(listener)
      },
      done,
      cancel: () => {
        if (this.settled) return false
        this.cancelled = true
        return true
      },
    }
  }

  /** Appends text and emits `run-delta` with the cumulative text. */
  delta(delta: string): void {
    this.text += delta
    this.#emit({ type: 'run-delta', runId: this.runId, sessionKey: this.sessionKey, text: this.text, delta, at: 0 })
  }

  /** Ends the run; `silent` models a `NO_REPLY` answer. */
  end(options: { text?: string; silent?: boolean } = {}): void {
    const text = options.text ?? this.text
    const usage: ModelUsage = { input: 1, output: 1, cacheRead: 0, cacheWrite: 0, totalTokens: 2 }
    this.#emit({ type: 'run-end', runId: this.runId, sessionKey: this.sessionKey, text, silent: options.silent === true, model: 'anthropic/claude-opus-4-5', usage, stopReason: 'stop', at: 0 })
    this.#finish({ kind: 'completed', runId: this.runId, text, silent: options.silent === true, model: 'anthropic/claude-opus-4-5', usage, stopReason: 'stop' })
  }

  /** Fails the run with a friendly message, as the runtime's `run-error`. */
  fail(message: string, detail = 'All models failed (1): boom'): void {
    this.#emit({ type: 'run-error', runId: this.runId, sessionKey: this.sessionKey, message, detail, at: 0 })
    this.#finish({ kind: 'failed', runId: this.runId, message, detail })
  }

  abort(): void {
    this.#emit({ type: 'run-abort', runId: this.runId, sessionKey: this.sessionKey, text: this.text, at: 0 })
    this.#finish({ kind: 'aborted', runId: this.runId, text: this.text })
  }

  #emit(event: RunEvent): void {
    for (const listener of this.#listeners) listener(event)
    this.#emitGlobal(event)
  }

  #finish(outcome: RunOutcome): void {
    if (this.settled) return
    this.settled = true
    this.#settle(outcome)
  }
}
