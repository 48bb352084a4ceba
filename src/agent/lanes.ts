/*
 * Spec §6.4: every run waits first in its session lane (one run per session at a time, so a transcript is never
 * written by two runs) and then in the global `main` lane, whose size caps concurrent provider calls. Lanes are
 * FIFO and in-process; nothing here survives a restart, which is fine because the queued work is in-memory too.
 */

/** Waits longer than this are reported through `onWait` (upstream logs them with --verbose). */
export const LANE_WAIT_REPORT_MS = 2_000

/** What `onWait` receives when a task waited more than `LANE_WAIT_REPORT_MS` for a lane slot. */
export interface LaneWaitInfo {
  lane: string
  waitedMs: number
  /** Tasks that were running or queued in that lane when this one joined it. */
  queueAhead: number
}

/** Lane sizes, the wait reporter and the clock of a `LaneScheduler`. */
export interface LaneSchedulerOptions {
  /** Read on every scheduling decision, so a config hot reload takes effect without a new scheduler. */
  maxConcurrent: () => number
  onWait?: (info: LaneWaitInfo) => void
  now: () => number
}

/** Two-level FIFO scheduler: one run per session, at most `maxConcurrent` runs overall. */
export class LaneScheduler {
  readonly #options: LaneSchedulerOptions
  readonly #main: Lane
  readonly #sessions = new Map<string, Lane>()
  readonly #pending = new Map<string, number>()

  constructor(options: LaneSchedulerOptions) {
    this.#options = options
    this.#main = new Lane('main', options.maxConcurrent, options)
  }

  /** Runs `task` once both its session lane and the `main` lane have a free slot; queued tasks can be cancelled. */
  async run<T>(sessionKey: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    // Counted before the first await so `isBusy` is true as soon as `run` returns its promise.
    this.#pending.set(sessionKey, (this.#pending.get(sessionKey) ?? 0) + 1)
    const sessionLane = this.#sessionLane(sessionKey)
    try {
      await sessionLane.acquire(signal)
      try {
        await this.#main.acquire(signal)
        try {
          return await task()
        } finally {
          this.#main.release()
        }
      } finally {
        sessionLane.release()
      }
    } finally {
      this.#settle(sessionKey)
    }
  }

  /** Starts queued tasks that fit after `maxConcurrent` was raised; call it after a config reload. */
  refresh(): void {
    this.#main.pump()
  }

  /** Running tasks, queued tasks (in any lane) and the sessions that are busy in the sense of `isBusy`. */
  stats(): { active: number; queued: number; busySessions: string[] } {
    let queued = this.#main.waiting
    for (const lane of this.#sessions.values()) queued += lane.waiting
    return { active: this.#main.active, queued, busySessions: [...this.#pending.keys()] }
  }

  /** True while the session has a task running or waiting in any lane. */
  isBusy(sessionKey: string): boolean {
    return this.pending(sessionKey) > 0
  }

  /** Number of this session's tasks that have not finished yet (running or queued). */
  pending(sessionKey: string): number {
    return this.#pending.get(sessionKey) ?? 0
  }

  #sessionLane(sessionKey: string): Lane {
    let lane = this.#sessions.get(sessionKey)
    if (lane === undefined) {
      lane = new Lane(`session:${sessionKey}`, () => 1, this.#options)
      this.#sessions.set(sessionKey, lane)
    }
    return lane
  }

  #settle(sessionKey: string): void {
    const left = (this.#pending.get(sessionKey) ?? 1) - 1
    if (left > 0) {
      this.#pending.set(sessionKey, left)
      return
    }
    // Dropping idle lanes keeps memory flat however many sessions the gateway has seen.
    this.#pending.delete(sessionKey)
    this.#sessions.delete(sessionKey)
  }
}

interface Waiter {
  start: () => void
  enqueuedAt: number
  queueAhead: number
}

class Lane {
  active = 0
  readonly #queue: Waiter[] = []

  constructor(
    readonly name: string,
    readonly limit: () => number,
    readonly options: Pick<LaneSchedulerOptions, 'onWait' | 'now'>,
  ) {}

  get waiting(): number {
    return this.#queue.length
  }

  acquire(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#queue.indexOf(waiter)
        if (index === -1) return
        this.#queue.splice(index, 1)
        reject(new DOMException(`[lanes] run cancelled while waiting in lane ${this.name}`, 'AbortError'))
      }
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort)
          const waitedMs = this.options.now() - waiter.enqueuedAt
          if (waitedMs > LANE_WAIT_REPORT_MS) {
            this.options.onWait?.({ lane: this.name, waitedMs, queueAhead: waiter.queueAhead })
          }
          resolve()
        },
        enqueuedAt: this.options.now(),
        queueAhead: this.active + this.#queue.length,
      }
      if (signal?.aborted) {
        reject(new DOMException(`[lanes] run cancelled before lane ${this.name}`, 'AbortError'))
        return
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#queue.push(waiter)
      this.pump()
    })
  }

  release(): void {
    this.active -= 1
    this.pump()
  }

  pump(): void {
    // A limit below 1 (bad config) would stall every run forever; one slot keeps the gateway answering.
    const limit = Math.max(1, this.limit())
    while (this.active < limit && this.#queue.length > 0) {
      const waiter = this.#queue.shift()!
      // The slot is taken synchronously so a release cannot hand the same slot out twice.
      this.active += 1
      waiter.start()
    }
  }
}
