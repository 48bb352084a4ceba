import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InboundQueue, type InboundQueueOptions, type QueueDrop, type QueueMode } from './inbound-queue.js'
import { LaneScheduler } from './lanes.js'
import { createNodeScheduler } from '../runtime/node/node-scheduler.js'

// Fake timers drive the Node scheduler, which looks the timer functions up on every call.
const clock = { now: () => Date.now(), scheduler: createNodeScheduler() }

function mergeText(messages: string[], dropped: number): string {
  const note = dropped > 0 ? [`[${dropped} earlier messages omitted]`] : []
  return [...note, ...messages].join('\n')
}

function createQueue(
  mode: QueueMode,
  overrides: Partial<InboundQueueOptions<string>> & { cap?: () => number; drop?: () => QueueDrop } = {},
) {
  const onReady = vi.fn<(sessionKey: string) => void>()
  const queue = new InboundQueue<string>({ mode: () => mode, merge: mergeText, onReady, ...clock, ...overrides })
  return { queue, onReady }
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 })
})

afterEach(() => {
  vi.useRealTimers()
})

describe('InboundQueue', () => {
  it('runs a message at once when the session is free and nothing is queued', () => {
    const { queue } = createQueue('collect')
    expect(queue.offer('a', 'hello', false)).toEqual({ action: 'run-now' })
    expect(queue.size('a')).toBe(0)
  })

  it('collect merges messages into one turn once the debounce since the last one has passed', () => {
    const { queue, onReady } = createQueue('collect')
    expect(queue.offer('a', 'one', true)).toEqual({ action: 'queued', size: 1, readyAt: 1_001_000 })
    vi.advanceTimersByTime(800)
    expect(queue.offer('a', 'two', true)).toEqual({ action: 'queued', size: 2, readyAt: 1_001_800 })
    expect(queue.takeNext('a')).toBeUndefined()

    vi.advanceTimersByTime(999)
    expect(onReady).not.toHaveBeenCalled()
    expect(queue.takeNext('a')).toBeUndefined()
    vi.advanceTimersByTime(1)
    expect(onReady).toHaveBeenCalledExactlyOnceWith('a')
    expect(queue.nextReadyAt('a')).toBe(1_001_800)
    expect(queue.takeNext('a')).toBe('one\ntwo')
    expect(queue.size('a')).toBe(0)
    expect(queue.takeNext('a')).toBeUndefined()
  })

  it('passes a lone collected message through without merging it', () => {
    const merge = vi.fn(mergeText)
    const { queue } = createQueue('collect', { merge })
    queue.offer('a', 'only', true)
    vi.advanceTimersByTime(1_000)
    expect(queue.takeNext('a')).toBe('only')
    expect(merge).not.toHaveBeenCalled()
  })

  it('summarize keeps the newest cap−1 messages and reports how many were dropped', () => {
    const { queue } = createQueue('collect', { cap: () => 3, drop: () => 'summarize' })
    for (const message of ['m1', 'm2', 'm3', 'm4', 'm5']) queue.offer('a', message, true)
    expect(queue.size('a')).toBe(2)
    vi.advanceTimersByTime(1_000)
    expect(queue.takeNext('a')).toBe('[3 earlier messages omitted]\nm4\nm5')
  })

  it('drop old keeps the newest cap messages and drop new refuses messages beyond the cap', () => {
    const old = createQueue('collect', { cap: () => 3, drop: () => 'old' }).queue
    const fresh = createQueue('collect', { cap: () => 3, drop: () => 'new' }).queue
    for (const message of ['m1', 'm2', 'm3', 'm4', 'm5']) old.offer('a', message, true)
    for (const message of ['m1', 'm2', 'm3']) fresh.offer('a', message, true)
    expect(fresh.offer('a', 'm4', true)).toEqual({ action: 'dropped' })
    vi.advanceTimersByTime(1_000)
    expect(old.takeNext('a')).toBe('m3\nm4\nm5')
    expect(fresh.takeNext('a')).toBe('m1\nm2\nm3')
  })

  it.each(['followup', 'queue'] as const)('%s runs one follow-up turn per message, in order', (mode) => {
    const { queue } = createQueue(mode)
    for (const message of ['m1', 'm2', 'm3']) queue.offer('a', message, true)
    vi.advanceTimersByTime(1_000)
    expect([queue.takeNext('a'), queue.takeNext('a'), queue.takeNext('a'), queue.takeNext('a')]).toEqual([
      'm1',
      'm2',
      'm3',
      undefined,
    ])
  })

  it('interrupt discards older queued messages and makes the newest ready at once', () => {
    let mode: QueueMode = 'collect'
    const queue = new InboundQueue<string>({ mode: () => mode, merge: mergeText, ...clock })
    queue.offer('a', 'old one', true)
    queue.offer('a', 'old two', true)
    mode = 'interrupt'
    expect(queue.offer('a', 'newest', true)).toEqual({ action: 'interrupt', discarded: 2 })
    expect(queue.takeNext('a')).toBe('newest')
    expect(queue.offer('a', 'idle', false)).toEqual({ action: 'run-now' })
  })

  it.each(['steer', 'steer-backlog'] as const)('%s behaves as collect', (mode) => {
    const { queue } = createQueue(mode)
    queue.offer('a', 'one', true)
    queue.offer('a', 'two', true)
    vi.advanceTimersByTime(1_000)
    expect(queue.takeNext('a')).toBe('one\ntwo')
  })

  it('queues behind waiting messages even when the session is already free', () => {
    const { queue } = createQueue('collect')
    queue.offer('a', 'first', true)
    expect(queue.offer('a', 'second', false)).toMatchObject({ action: 'queued', size: 2 })
    expect(queue.offer('b', 'other session', false)).toEqual({ action: 'run-now' })
  })

  it('clear drops the batch and cancels its ready callback', () => {
    const { queue, onReady } = createQueue('collect')
    queue.offer('a', 'one', true)
    queue.clear('a')
    vi.advanceTimersByTime(5_000)
    expect(onReady).not.toHaveBeenCalled()
    expect(queue.takeNext('a')).toBeUndefined()
  })

  it('with a LaneScheduler, follows the documented call pattern without losing or reordering messages', async () => {
    const lanes = new LaneScheduler({ maxConcurrent: () => 4, now: () => Date.now() })
    const turns: string[] = []
    const releases: (() => void)[] = []
    const startRun = (sessionKey: string, message: string): void => {
      void lanes
        .run(sessionKey, async () => {
          turns.push(message)
          await new Promise<void>((resolve) => releases.push(resolve))
        })
        .finally(() => drain(sessionKey))
    }
    const drain = (sessionKey: string): void => {
      const next = queue.takeNext(sessionKey)
      if (next !== undefined) startRun(sessionKey, next)
    }
    const queue = new InboundQueue<string>({
      ...clock,
      mode: () => 'collect',
      merge: mergeText,
      onReady: (sessionKey) => {
        if (!lanes.isBusy(sessionKey)) drain(sessionKey)
      },
    })
    const receive = (message: string): void => {
      if (queue.offer('a', message, lanes.isBusy('a')).action === 'run-now') startRun('a', message)
    }

    receive('hello')
    await vi.advanceTimersByTimeAsync(0)
    receive('are you there?')
    receive('hello??')
    // The run ends before the batch's debounce: the timer must pick the batch up later.
    releases.shift()!()
    await vi.advanceTimersByTimeAsync(500)
    expect(turns).toEqual(['hello'])
    await vi.advanceTimersByTimeAsync(500)
    expect(turns).toEqual(['hello', 'are you there?\nhello??'])

    // The batch becomes ready during the run: the run's own drain picks it up.
    receive('one more')
    await vi.advanceTimersByTimeAsync(2_000)
    expect(turns).toHaveLength(2)
    releases.shift()!()
    await vi.advanceTimersByTimeAsync(0)
    expect(turns).toEqual(['hello', 'are you there?\nhello??', 'one more'])
    releases.shift()!()
    await vi.advanceTimersByTimeAsync(0)
    expect(lanes.isBusy('a')).toBe(false)
  })
})
