import { describe, expect, it } from 'vitest'
import { createFailedAuthLimiter } from './failed-auth-limiter.js'

describe('createFailedAuthLimiter', () => {
  it('blocks an address after maxFailures within the window, per address, until the window passes', () => {
    let now = 0
    const limiter = createFailedAuthLimiter(() => now, { maxFailures: 2, windowMs: 1_000 })
    limiter.recordFailure('a')
    expect(limiter.retryAfter('a')).toBe(0)
    now = 100
    limiter.recordFailure('a')
    expect(limiter.retryAfter('a')).toBe(900)
    expect(limiter.retryAfter('b')).toBe(0)
    now = 999
    expect(limiter.retryAfter('a')).toBe(1)
    // The first failure has left the sliding window; one failure is under the limit.
    now = 1_001
    expect(limiter.retryAfter('a')).toBe(0)
  })

  it('forgets failures after a success', () => {
    const limiter = createFailedAuthLimiter(() => 0, { maxFailures: 1, windowMs: 1_000 })
    limiter.recordFailure('a')
    expect(limiter.retryAfter('a')).toBeGreaterThan(0)
    limiter.recordSuccess('a')
    expect(limiter.retryAfter('a')).toBe(0)
  })
})
