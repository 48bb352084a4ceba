import type { Scheduler } from '../deps.js'

/** Runs `callback` after `delayMs`; returns a function that cancels it. Injected so tests drive time by hand. */
export type Schedule = (callback: () => void, delayMs: number) => () => void

/** The runtime's scheduler in the callback-first shape the Discord code uses. */
export function scheduleOn(scheduler: Pick<Scheduler, 'after'>): Schedule {
  return (callback, delayMs) => scheduler.after(delayMs, callback)
}

/** A sleep built on a schedule, for retry waits. */
export function sleepWith(schedule: Schedule): (milliseconds: number) => Promise<void> {
  return (milliseconds) => new Promise((resolve) => void schedule(resolve, milliseconds))
}
