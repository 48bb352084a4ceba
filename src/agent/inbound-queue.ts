import type { z } from 'zod'
import type { QueueDropSchema, QueueModeSchema } from '../config/schema-shared.js'
import type { Scheduler } from '../deps.js'

/*
 * `messages.queue` (spec §6.4): what happens to a message that arrives while its session is busy.
 *
 * Intended call pattern in the runtime (one `InboundQueue` and one `LaneScheduler` per gateway):
 *
 * 1. Inbound message → `offer(key, message, lanes.isBusy(key))`:
 *    - `run-now`: `lanes.run(key, turn(message))`, and when that run settles call `drain(key)`;
 *    - `interrupt`: abort the session's current run; its settle calls `drain(key)`, which gets the newest message;
 *    - `queued` / `dropped`: nothing more to do (maybe an ack reaction).
 * 2. `drain(key)` = `const next = queue.takeNext(key); if (next !== undefined) start a run with it`.
 * 3. `onReady(key)` fires once a debounced batch is ready: `if (!lanes.isBusy(key)) drain(key)`. Together with
 *    step 2 no batch is stranded: either the run ends after the batch is ready (step 2 takes it) or before
 *    (the timer fires later and finds the session free).
 *
 * `steer`, `steer-backlog` and `steer+backlog` need a tool boundary to inject at; without tools a run has none, so
 * they behave as `collect`, which is what a steer message turns into upstream when the run has already ended.
 */

/** A `messages.queue` mode as the config schema accepts it. */
export type QueueMode = z.infer<typeof QueueModeSchema>
/** What happens to queued messages beyond the cap. */
export type QueueDrop = z.infer<typeof QueueDropSchema>

/** Spec defaults for `messages.queue` (Discord): collect, 1 s debounce, cap 20, summarize overflow. */
export const QUEUE_DEFAULTS = { mode: 'collect', debounceMs: 1_000, cap: 20, drop: 'summarize' } as const

/** Policy callbacks, the merge function, the clock and the scheduler of an `InboundQueue`. */
export interface InboundQueueOptions<M> {
  /** Each option is read per session and per call, so `/queue` overrides and config reloads apply at once. */
  mode: (sessionKey: string) => QueueMode
  debounceMs?: (sessionKey: string) => number
  cap?: (sessionKey: string) => number
  drop?: (sessionKey: string) => QueueDrop
  /** Combines a collected batch into one turn; `dropped` counts messages `summarize` left out. */
  merge: (messages: M[], dropped: number) => M
  /** Called when a queued batch has become ready to run (its debounce has passed). */
  onReady?: (sessionKey: string) => void
  now: () => number
  scheduler: Pick<Scheduler, 'after'>
}

/** What `offer` decided; `queued` says when `takeNext` will first return the batch. */
export type OfferResult =
  | { action: 'run-now' }
  | { action: 'queued'; size: number; readyAt: number }
  | { action: 'interrupt'; discarded: number }
  | { action: 'dropped' }

interface SessionQueue<M> {
  messages: M[]
  dropped: number
  lastQueuedAt: number
  /** Set by `interrupt`: the held message runs as soon as the aborted run ends, with no debounce. */
  immediate: boolean
  /** Cancels the pending ready timer. */
  cancelTimer?: () => void
}

/** Per-session holding area for messages that arrive during a run, applying the `messages.queue` policy. */
export class InboundQueue<M> {
  readonly #options: InboundQueueOptions<M>
  readonly #sessions = new Map<string, SessionQueue<M>>()
  readonly #now: () => number

  constructor(options: InboundQueueOptions<M>) {
    this.#options = options
    this.#now = options.now
  }

  /** Decides what to do with a message for `sessionKey`; `busy` is whether a run for it is active or queued. */
  offer(sessionKey: string, message: M, busy: boolean): OfferResult {
    const mode = this.#options.mode(sessionKey)
    const pending = this.#sessions.get(sessionKey)
    if (mode === 'interrupt') {
      if (!busy) {
        this.clear(sessionKey)
        return { action: 'run-now' }
      }
      const discarded = pending?.messages.length ?? 0
      const queue = this.#replace(sessionKey, [message])
      queue.immediate = true
      this.#arm(sessionKey, queue, queue.lastQueuedAt)
      return { action: 'interrupt', discarded }
    }
    // Earlier messages still waiting out their debounce go first, even when the session is free again.
    if (!busy && pending === undefined) return { action: 'run-now' }

    const queue = pending ?? this.#replace(sessionKey, [])
    const cap = Math.max(1, this.#options.cap?.(sessionKey) ?? QUEUE_DEFAULTS.cap)
    const drop = this.#options.drop?.(sessionKey) ?? QUEUE_DEFAULTS.drop
    if (drop === 'new' && queue.messages.length >= cap) return { action: 'dropped' }
    queue.messages.push(message)
    queue.lastQueuedAt = this.#now()
    queue.immediate = false
    // `summarize` keeps one slot for the "[N earlier messages omitted]" note, so only cap−1 messages stay.
    const keep = drop === 'summarize' ? Math.max(1, cap - 1) : cap
    while (queue.messages.length > keep) {
      queue.messages.shift()
      if (drop === 'summarize') queue.dropped += 1
    }
    const readyAt = this.nextReadyAt(sessionKey)!
    this.#arm(sessionKey, queue, readyAt)
    return { action: 'queued', size: queue.messages.length, readyAt }
  }

  /** The next turn to run for `sessionKey`, or undefined when nothing is queued or the debounce has not passed. */
  takeNext(sessionKey: string): M | undefined {
    const queue = this.#sessions.get(sessionKey)
    const readyAt = this.nextReadyAt(sessionKey)
    if (queue === undefined || readyAt === undefined || this.#now() < readyAt) return undefined
    const mode = this.#options.mode(sessionKey)
    if (mode === 'followup' || mode === 'queue') {
      const next = queue.messages.shift()!
      const dropped = queue.dropped
      queue.dropped = 0
      if (queue.messages.length === 0) this.clear(sessionKey)
      // The omitted-messages note rides on the first follow-up so the model still learns that some were dropped.
      return dropped > 0 ? this.#options.merge([next], dropped) : next
    }
    this.clear(sessionKey)
    // A batch of one with nothing omitted is passed through untouched, so a lone follow-up reads like any message.
    if (queue.messages.length === 1 && queue.dropped === 0) return queue.messages[0]
    return this.#options.merge(queue.messages, queue.dropped)
  }

  /** When `takeNext` will next return something for `sessionKey` (epoch ms), or undefined when nothing is queued. */
  nextReadyAt(sessionKey: string): number | undefined {
    const queue = this.#sessions.get(sessionKey)
    if (queue === undefined) return undefined
    if (queue.immediate) return queue.lastQueuedAt
    return queue.lastQueuedAt + (this.#options.debounceMs?.(sessionKey) ?? QUEUE_DEFAULTS.debounceMs)
  }

  /** Drops everything queued for `sessionKey` (e.g. on `/new` or `/stop`). */
  clear(sessionKey: string): void {
    const queue = this.#sessions.get(sessionKey)
    queue?.cancelTimer?.()
    this.#sessions.delete(sessionKey)
  }

  /** Takes one held message out (its sender gave up); true when it was held. */
  remove(sessionKey: string, message: M): boolean {
    const queue = this.#sessions.get(sessionKey)
    const index = queue?.messages.indexOf(message) ?? -1
    if (queue === undefined || index < 0) return false
    queue.messages.splice(index, 1)
    if (queue.messages.length === 0 && queue.dropped === 0) this.clear(sessionKey)
    return true
  }

  /** Number of messages held for `sessionKey` (not counting ones `summarize` dropped). */
  size(sessionKey: string): number {
    return this.#sessions.get(sessionKey)?.messages.length ?? 0
  }

  #replace(sessionKey: string, messages: M[]): SessionQueue<M> {
    this.clear(sessionKey)
    const queue: SessionQueue<M> = { messages, dropped: 0, lastQueuedAt: this.#now(), immediate: false }
    this.#sessions.set(sessionKey, queue)
    return queue
  }

  #arm(sessionKey: string, queue: SessionQueue<M>, readyAt: number): void {
    if (this.#options.onReady === undefined) return
    queue.cancelTimer?.()
    queue.cancelTimer = this.#options.scheduler.after(Math.max(0, readyAt - this.#now()), () => {
      queue.cancelTimer = undefined
      if (this.#sessions.get(sessionKey) === queue) this.#options.onReady?.(sessionKey)
    })
  }
}
