/** Runs `callback` after `delayMs`; returns a function that cancels it. Injected so tests drive time by hand. */
export type Schedule = (callback: () => void, delayMs: number) => () => void

/** The real timer, for runtimes. */
export const systemSchedule: Schedule = (callback, delayMs) => {
  const handle = setTimeout(callback, delayMs)
  return () => clearTimeout(handle)
}

/** A sleep built on a schedule, for retry waits. */
export function sleepWith(schedule: Schedule): (milliseconds: number) => Promise<void> {
  return (milliseconds) => new Promise((resolve) => void schedule(resolve, milliseconds))
}
