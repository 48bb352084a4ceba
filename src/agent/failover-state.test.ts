import { createStorage, type Storage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { failoverStateKey } from '../storage/keys.js'
import { FailoverState } from './failover-state.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const START = Date.UTC(2026, 0, 1)

let storage: Storage
beforeEach(() => {
  storage = createStorage({ driver: memoryDriver() })
})

describe('FailoverState', () => {
  it('backs off 1 m, 5 m, 25 m, then 1 h on consecutive failures', async () => {
    const state = new FailoverState({ storage })
    let now = START
    const cooldowns: number[] = []
    for (let failure = 0; failure < 5; failure += 1) {
      const usage = await state.markFailure('anthropic:env', 'rate_limit', now)
      cooldowns.push(usage.cooldownUntil! - now)
      expect(await state.isCoolingDown('anthropic:env', usage.cooldownUntil! - 1)).toBe(true)
      expect(await state.isCoolingDown('anthropic:env', usage.cooldownUntil!)).toBe(false)
      now = usage.cooldownUntil!
    }
    expect(cooldowns).toEqual([MINUTE, 5 * MINUTE, 25 * MINUTE, HOUR, HOUR])
    expect((await state.snapshot())['anthropic:env']).toMatchObject({ errorCount: 5, failureCounts: { rate_limit: 5 } })
  })

  it('keeps profiles apart', async () => {
    const state = new FailoverState({ storage })
    await state.markFailure('anthropic:env', 'auth', START)
    expect(await state.isCoolingDown('anthropic:env', START)).toBe(true)
    expect(await state.isCoolingDown('openai:env', START)).toBe(false)
  })

  it('disables a profile for billing with a doubling backoff capped by billingMaxHours', async () => {
    const state = new FailoverState({ storage })
    const hours: number[] = []
    let now = START
    for (let failure = 0; failure < 4; failure += 1) {
      const usage = await state.markFailure('anthropic:env', 'billing', now)
      hours.push((usage.disabledUntil! - now) / HOUR)
      expect(usage.disabledReason).toBe('billing')
      now += HOUR
    }
    expect(hours).toEqual([5, 10, 20, 24])
  })

  it('honours the billing settings, per provider first', async () => {
    const state = new FailoverState({ storage })
    const cooldowns = { billingBackoffHours: 2, billingBackoffHoursByProvider: { openai: 1 }, billingMaxHours: 3 }
    const anthropic = await state.markFailure('anthropic:work', 'billing', START, cooldowns)
    const openaiFirst = await state.markFailure('openai:env', 'billing', START, cooldowns)
    await state.markFailure('openai:env', 'billing', START, cooldowns)
    const openaiThird = await state.markFailure('openai:env', 'billing', START, cooldowns)
    expect(anthropic.disabledUntil! - START).toBe(2 * HOUR)
    expect(openaiFirst.disabledUntil! - START).toBe(HOUR)
    expect(openaiThird.disabledUntil! - START).toBe(3 * HOUR)
  })

  it('starts the counters over once the last failure is older than the failure window', async () => {
    const state = new FailoverState({ storage })
    await state.markFailure('anthropic:env', 'rate_limit', START)
    await state.markFailure('anthropic:env', 'rate_limit', START + 2 * MINUTE)
    const withinWindow = await state.markFailure('anthropic:env', 'timeout', START + 24 * HOUR)
    expect(withinWindow.errorCount).toBe(3)
    const later = START + 24 * HOUR + 2 * HOUR
    const afterWindow = await state.markFailure('anthropic:env', 'timeout', later, { failureWindowHours: 1 })
    expect(afterWindow).toMatchObject({ errorCount: 1, failureCounts: { timeout: 1 }, cooldownUntil: later + MINUTE })
  })

  it('clears the error count and every cooldown on success', async () => {
    const state = new FailoverState({ storage })
    await state.markFailure('anthropic:env', 'rate_limit', START)
    await state.markFailure('anthropic:env', 'billing', START)
    await state.markSuccess('anthropic:env', START + 1)
    expect(await state.isCoolingDown('anthropic:env', START + 2)).toBe(false)
    expect((await state.snapshot())['anthropic:env']).toEqual({
      lastUsed: START + 1,
      errorCount: 0,
      failureCounts: {},
      lastFailureAt: START,
    })
    const next = await state.markFailure('anthropic:env', 'rate_limit', START + 2)
    expect(next.cooldownUntil! - (START + 2)).toBe(MINUTE)
  })

  it('persists across instances on the same storage', async () => {
    await new FailoverState({ storage }).markFailure('anthropic:env', 'rate_limit', START)
    const reloaded = new FailoverState({ storage })
    expect(await reloaded.isCoolingDown('anthropic:env', START + MINUTE - 1)).toBe(true)
    const second = await reloaded.markFailure('anthropic:env', 'rate_limit', START + MINUTE)
    expect(second.cooldownUntil! - (START + MINUTE)).toBe(5 * MINUTE)
    expect(await storage.getItem(failoverStateKey())).toMatchObject({ version: 1, profiles: { 'anthropic:env': {} } })
  })

  it('starts fresh when the stored document is corrupt', async () => {
    await storage.setItem(failoverStateKey(), { version: 1, profiles: { 'anthropic:env': { errorCount: 'many' } } })
    const state = new FailoverState({ storage })
    expect(await state.snapshot()).toEqual({})
    expect((await state.markFailure('anthropic:env', 'auth', START)).errorCount).toBe(1)
  })

  it('serialises writes so the last stored document matches memory', async () => {
    const state = new FailoverState({ storage })
    await Promise.all(
      ['a:env', 'b:env', 'c:env', 'd:env'].map((profileId, index) => state.markFailure(profileId, 'timeout', START + index)),
    )
    const stored = (await storage.getItem(failoverStateKey())) as { profiles: Record<string, unknown> }
    expect(Object.keys(stored.profiles).sort()).toEqual(['a:env', 'b:env', 'c:env', 'd:env'])
    expect(stored.profiles).toEqual(await state.snapshot())
  })

  it('loads the stored document only once', async () => {
    const getItem = vi.spyOn(storage, 'getItem')
    const state = new FailoverState({ storage })
    await Promise.all([state.isCoolingDown('a:env', START), state.snapshot(), state.markSuccess('a:env', START)])
    await state.isCoolingDown('a:env', START)
    expect(getItem).toHaveBeenCalledTimes(1)
  })

  it('reports a failed write without failing the caller or later writes', async () => {
    const onWriteError = vi.fn()
    const state = new FailoverState({ storage, onWriteError })
    const setItem = vi.spyOn(storage, 'setItem').mockRejectedValueOnce(new Error('disk full'))
    await expect(state.markFailure('a:env', 'timeout', START)).resolves.toMatchObject({ errorCount: 1 })
    await state.markFailure('b:env', 'timeout', START)
    expect(onWriteError).toHaveBeenCalledOnce()
    expect(setItem).toHaveBeenCalledTimes(2)
    expect(await storage.getItem(failoverStateKey())).toMatchObject({ profiles: { 'a:env': {}, 'b:env': {} } })
  })
})
