import { describe, expect, it, vi } from 'vitest'
import { LANE_WAIT_REPORT_MS, LaneScheduler, type LaneWaitInfo } from './lanes.js'

/** A promise the test opens by hand, so tasks finish exactly when the test says. */
function createGate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

/** Lets every pending microtask (lane hand-offs are promise chains) settle. */
async function flush(): Promise<void> {
  for (let round = 0; round < 20; round += 1) await Promise.resolve()
}

describe('LaneScheduler', () => {
  it('never runs more than maxConcurrent tasks and keeps each session in submission order', async () => {
    let limit = 2
    const scheduler = new LaneScheduler({ maxConcurrent: () => limit, now: () => 0 })
    const gates = new Map<string, ReturnType<typeof createGate>>()
    const started: string[] = []
    const finished = new Set<string>()
    let running = 0
    let peak = 0
    const results: Promise<string>[] = []
    for (let message = 0; message < 3; message += 1) {
      for (let session = 0; session < 5; session += 1) {
        const id = `s${session}#${message}`
        const gate = createGate()
        gates.set(id, gate)
        results.push(
          scheduler.run(`s${session}`, async () => {
            started.push(id)
            running += 1
            peak = Math.max(peak, running)
            await gate.promise
            running -= 1
            return id
          }),
        )
      }
    }
    await flush()
    expect(started).toEqual(['s0#0', 's1#0'])
    expect(scheduler.stats()).toEqual({ active: 2, queued: 13, busySessions: ['s0', 's1', 's2', 's3', 's4'] })
    expect(scheduler.pending('s0')).toBe(3)

    // Finishing tasks one at a time in a scrambled order must never let a third task start.
    for (const id of ['s1#0', 's0#0']) {
      finished.add(id)
      gates.get(id)!.open()
      await flush()
      expect(running).toBeLessThanOrEqual(2)
    }
    expect(started).toHaveLength(4)

    limit = 4
    scheduler.refresh()
    await flush()
    expect(running).toBe(4)

    while (started.length < 15 || running > 0) {
      const runningIds = started.filter((id) => !finished.has(id))
      const next = runningIds[runningIds.length - 1]!
      finished.add(next)
      gates.get(next)!.open()
      await flush()
      expect(running).toBeLessThanOrEqual(4)
    }
    await Promise.all(results)
    expect(peak).toBe(4)
    for (let session = 0; session < 5; session += 1) {
      const order = started.filter((id) => id.startsWith(`s${session}#`))
      expect(order).toEqual([`s${session}#0`, `s${session}#1`, `s${session}#2`])
    }
    expect(scheduler.stats()).toEqual({ active: 0, queued: 0, busySessions: [] })
    expect(scheduler.isBusy('s0')).toBe(false)
  })

  it('frees both slots when a task throws', async () => {
    const scheduler = new LaneScheduler({ maxConcurrent: () => 1, now: () => 0 })
    const failing = scheduler.run('a', async () => {
      throw new Error('boom')
    })
    const same = scheduler.run('a', async () => 'same session ran')
    const other = scheduler.run('b', async () => 'other session ran')
    await expect(failing).rejects.toThrow('boom')
    await expect(same).resolves.toBe('same session ran')
    await expect(other).resolves.toBe('other session ran')
    expect(scheduler.stats()).toEqual({ active: 0, queued: 0, busySessions: [] })
  })

  it('is busy from the moment run is called until the task settles', async () => {
    const scheduler = new LaneScheduler({ maxConcurrent: () => 1, now: () => 0 })
    const gate = createGate()
    const done = scheduler.run('a', () => gate.promise)
    expect(scheduler.isBusy('a')).toBe(true)
    expect(scheduler.isBusy('b')).toBe(false)
    gate.open()
    await done
    expect(scheduler.isBusy('a')).toBe(false)
  })

  it('removes a task aborted while queued and rejects it with an AbortError', async () => {
    const scheduler = new LaneScheduler({ maxConcurrent: () => 1, now: () => 0 })
    const gate = createGate()
    const first = scheduler.run('a', () => gate.promise)
    const controller = new AbortController()
    const task = vi.fn(async () => 'should not run')
    const queuedInMain = scheduler.run('b', task, controller.signal)
    const queuedInSession = scheduler.run('a', task, controller.signal)
    await flush()
    expect(scheduler.stats().queued).toBe(2)

    controller.abort()
    await expect(queuedInMain).rejects.toMatchObject({ name: 'AbortError' })
    await expect(queuedInSession).rejects.toMatchObject({ name: 'AbortError' })
    expect(scheduler.stats().queued).toBe(0)
    expect(scheduler.pending('b')).toBe(0)

    gate.open()
    await first
    expect(task).not.toHaveBeenCalled()
    await expect(scheduler.run('c', task, controller.signal)).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('reports waits longer than two seconds with the lane name', async () => {
    let now = 1_000
    const waits: LaneWaitInfo[] = []
    const scheduler = new LaneScheduler({ maxConcurrent: () => 1, now: () => now, onWait: (info) => waits.push(info) })
    const gate = createGate()
    const first = scheduler.run('a', () => gate.promise)
    const second = scheduler.run('b', async () => 'b')
    await flush()
    now += LANE_WAIT_REPORT_MS + 500
    gate.open()
    await Promise.all([first, second])
    expect(waits).toEqual([{ lane: 'main', waitedMs: 2_500, queueAhead: 1 }])
  })

  it('does not report a wait of exactly two seconds', async () => {
    let now = 0
    const onWait = vi.fn()
    const scheduler = new LaneScheduler({ maxConcurrent: () => 1, now: () => now, onWait })
    const gate = createGate()
    const first = scheduler.run('a', () => gate.promise)
    const second = scheduler.run('a', async () => 'b')
    await flush()
    now = LANE_WAIT_REPORT_MS
    gate.open()
    await Promise.all([first, second])
    expect(onWait).not.toHaveBeenCalled()
  })
})
