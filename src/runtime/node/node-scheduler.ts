import type { Scheduler } from '../../deps.js'

/**
 * The Node process stays up, so plain timers are enough; `wakeAt` has nothing to do. Timers look up the global
 * functions on each call so vitest's fake timers (installed after import) drive them in tests.
 */
export function createNodeScheduler(): Scheduler {
  return {
    after(delayMs, callback) {
      const handle = globalThis.setTimeout(callback, Math.max(0, delayMs))
      return () => globalThis.clearTimeout(handle)
    },
    every(intervalMs, callback) {
      const handle = globalThis.setInterval(callback, Math.max(1, intervalMs))
      return () => globalThis.clearInterval(handle)
    },
    wakeAt() {},
  }
}
