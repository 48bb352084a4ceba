import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAlarmClock, createWorkersScheduler } from './workers-scheduler.js'

function fakeAlarmStorage() {
  const storage = {
    alarm: null as number | null,
    sets: [] as number[],
    getAlarm: async () => storage.alarm,
    setAlarm: async (at: number) => {
      storage.sets.push(at)
      storage.alarm = at
    },
  }
  return storage
}

afterEach(() => {
  vi.useRealTimers()
})

describe('createAlarmClock', () => {
  it('keeps the earliest requested wake-up and never moves the alarm later', async () => {
    const storage = fakeAlarmStorage()
    const errors: unknown[] = []
    const clock = createAlarmClock(storage, (error) => errors.push(error))
    clock.wakeAt(5_000)
    clock.wakeAt(9_000)
    clock.wakeAt(3_000)
    clock.wakeAt(4_000)
    await vi.waitFor(() => expect(storage.alarm).toBe(3_000))
    expect(storage.sets).toEqual([5_000, 3_000])
    expect(errors).toEqual([])
  })

  it('reports a failed alarm write and keeps serving later requests', async () => {
    const storage = fakeAlarmStorage()
    let fail = true
    const errors: unknown[] = []
    const clock = createAlarmClock(
      {
        getAlarm: storage.getAlarm,
        setAlarm: async (at) => {
          if (fail) throw new Error('storage unavailable')
          await storage.setAlarm(at)
        },
      },
      (error) => errors.push(error),
    )
    clock.wakeAt(1_000)
    await vi.waitFor(() => expect(errors).toHaveLength(1))
    fail = false
    clock.wakeAt(2_000)
    await vi.waitFor(() => expect(storage.alarm).toBe(2_000))
  })
})

describe('createWorkersScheduler', () => {
  it('runs after/every on isolate timers, cancels them, and hands wakeAt to the alarm clock', () => {
    vi.useFakeTimers()
    const wakes: number[] = []
    const scheduler = createWorkersScheduler({ wakeAt: (at) => wakes.push(at) })
    const once = vi.fn()
    const cancelled = vi.fn()
    const ticks = vi.fn()
    scheduler.after(100, once)
    scheduler.after(100, cancelled)()
    const stop = scheduler.every(50, ticks)
    vi.advanceTimersByTime(160)
    expect(once).toHaveBeenCalledTimes(1)
    expect(cancelled).not.toHaveBeenCalled()
    expect(ticks).toHaveBeenCalledTimes(3)
    stop()
    vi.advanceTimersByTime(500)
    expect(ticks).toHaveBeenCalledTimes(3)
    scheduler.wakeAt(42)
    expect(wakes).toEqual([42])
  })
})
