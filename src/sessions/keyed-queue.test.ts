import { describe, expect, it } from 'vitest'
import { KeyedQueue } from './keyed-queue.js'

// A promise the test settles by hand, so ordering is driven by events, not timers.
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void
  let reject!: (error: Error) => void
  const promise = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve
    reject = onReject
  })
  return { promise, resolve, reject }
}

describe('KeyedQueue', () => {
  it('runs tasks of one key one at a time, in order', async () => {
    const queue = new KeyedQueue()
    const log: string[] = []
    const gate = deferred()
    const first = queue.run('a', async () => {
      log.push('first-start')
      await gate.promise
      log.push('first-end')
      return 1
    })
    const second = queue.run('a', async () => {
      log.push('second')
      return 2
    })
    await Promise.resolve()
    expect(log).toEqual(['first-start'])
    gate.resolve()
    expect(await Promise.all([first, second])).toEqual([1, 2])
    expect(log).toEqual(['first-start', 'first-end', 'second'])
  })

  it('runs different keys concurrently', async () => {
    const queue = new KeyedQueue()
    const gate = deferred()
    const blocked = queue.run('a', () => gate.promise)
    expect(await queue.run('b', async () => 'b done')).toBe('b done')
    gate.resolve()
    await blocked
  })

  it('keeps going after a failed task and forgets idle keys', async () => {
    const queue = new KeyedQueue()
    const failing = queue.run('a', async () => {
      throw new Error('boom')
    })
    const next = queue.run('a', async () => 'still runs')
    await expect(failing).rejects.toThrow('boom')
    expect(await next).toBe('still runs')
    await Promise.resolve()
    await Promise.resolve()
    expect(queue.pendingKeys).toBe(0)
  })
})
