import type { Scheduler } from '../../deps.js'
import type { DurableObjectStorage } from './workers-types.js'

/** The alarm side of the Workers scheduler: the object arms its single alarm for the earliest wake-up asked for. */
export interface AlarmClock {
  /** Keeps the earliest of the requested times; a time in the past fires as soon as possible. */
  wakeAt(atMs: number): void
}

/**
 * Scheduler for the gateway's Durable Object: `after`/`every` are the isolate's timers (the object stays in memory
 * while it has work, and loses them on eviction, as the interface allows), `wakeAt` becomes the object's alarm so an
 * idle or evicted gateway is started again at that time.
 */
export function createWorkersScheduler(alarms: AlarmClock): Scheduler {
  return {
    after(delayMs, callback) {
      const handle = setTimeout(callback, Math.max(0, delayMs))
      return () => clearTimeout(handle)
    },
    every(intervalMs, callback) {
      const handle = setInterval(callback, Math.max(1, intervalMs))
      return () => clearInterval(handle)
    },
    wakeAt: (atMs) => alarms.wakeAt(atMs),
  }
}

/**
 * One Durable Object alarm shared by every wake-up request: it is set to the earliest wanted time and never moved
 * later, since a later request can wait for the earlier alarm (the alarm handler starts the gateway, whose durable
 * work re-arms what is still due).
 */
export function createAlarmClock(storage: Pick<DurableObjectStorage, 'getAlarm' | 'setAlarm'>, onError: (error: unknown) => void): AlarmClock {
  let pending: Promise<void> = Promise.resolve()
  return {
    wakeAt(atMs) {
      pending = pending
        .then(async () => {
          const current = await storage.getAlarm()
          if (current === null || atMs < current) await storage.setAlarm(atMs)
        })
        .catch(onError)
    },
  }
}
