import type { Scheduler } from '../../src/deps.js'

interface Timer {
  at: number
  order: number
  callback: () => void
  every?: number
  cancelled: boolean
}

/**
 * Fake time through the scheduler capability: `deps.now` and `deps.scheduler` read this clock, while sockets and
 * fake servers keep real timers. `advance` fires due callbacks in time order and lets I/O they start proceed.
 */
export function createFakeClock(start: number) {
  let now = start
  let order = 0
  const timers: Timer[] = []
  const wakeAts: number[] = []
  const add = (delayMs: number, callback: () => void, every?: number) => {
    const timer: Timer = { at: now + Math.max(0, delayMs), order: order++, callback, every, cancelled: false }
    timers.push(timer)
    return () => void (timer.cancelled = true)
  }
  const scheduler: Scheduler = {
    after: (delayMs, callback) => add(delayMs, callback),
    every: (intervalMs, callback) => add(intervalMs, callback, Math.max(1, intervalMs)),
    wakeAt: (atMs) => void wakeAts.push(atMs),
  }
  const flush = async () => {
    for (let index = 0; index < 5; index += 1) await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return {
    now: () => now,
    scheduler,
    /** Every `wakeAt` request, in order (what a Durable Object alarm would be set to). */
    wakeAts,
    /** Live timers, for overhead figures and leak checks. */
    pending: () => timers.filter((timer) => !timer.cancelled).length,
    /** Moves time forward by `milliseconds`, firing every timer that falls due on the way. */
    async advance(milliseconds: number): Promise<void> {
      const target = now + milliseconds
      await flush()
      for (;;) {
        const due = timers.filter((timer) => !timer.cancelled && timer.at <= target).sort((a, b) => a.at - b.at || a.order - b.order)[0]
        if (due === undefined) break
        now = Math.max(now, due.at)
        if (due.every) due.at += due.every
        else timers.splice(timers.indexOf(due), 1)
        due.callback()
        await flush()
      }
      now = target
      await flush()
    },
  }
}
