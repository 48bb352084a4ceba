import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { DEDUPE_TTL_MS, UpdateDedupe } from './update-dedupe.js'

describe('UpdateDedupe', () => {
  it('takes an update id once, remembers it across a restart within the window, and forgets it after', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    let now = 1_000
    const first = new UpdateDedupe(storage, 'dedupe.json', () => now)
    expect(await first.claim('update:1')).toBe(true)
    expect(await first.claim('update:1')).toBe(false)
    const restarted = new UpdateDedupe(storage, 'dedupe.json', () => now)
    expect(await restarted.claim('update:1')).toBe(false)
    now += DEDUPE_TTL_MS + 1
    expect(await restarted.claim('update:1')).toBe(true)
  })

  it('records concurrent claims with few writes, each claim resolving only after its id is stored', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    let writes = 0
    const setItem = storage.setItem.bind(storage)
    storage.setItem = async (key: string, value: any) => {
      writes += 1
      return setItem(key, value)
    }
    const dedupe = new UpdateDedupe(storage, 'dedupe.json', () => 5)
    const ids = Array.from({ length: 50 }, (_, index) => `update:${index}`)
    expect(await Promise.all(ids.map((id) => dedupe.claim(id)))).toEqual(ids.map(() => true))
    expect(writes).toBeLessThanOrEqual(3)
    const stored = (await storage.getItem('dedupe.json')) as { entries: Array<[string, number]> }
    expect(stored.entries.map(([id]) => id)).toEqual(ids)
  })

  it('forgets an id whose write failed, so the retried update is taken', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const setItem = storage.setItem.bind(storage)
    let failNext = true
    storage.setItem = async (key: string, value: any) => {
      if (failNext) {
        failNext = false
        throw new Error('disk full')
      }
      return setItem(key, value)
    }
    const dedupe = new UpdateDedupe(storage, 'dedupe.json', () => 5)
    await expect(dedupe.claim('update:9')).rejects.toThrow('disk full')
    expect(await dedupe.claim('update:9')).toBe(true)
  })
})
