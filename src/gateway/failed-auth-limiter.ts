/** Limits for failed `connect` attempts per client address. */
export interface FailedAuthLimits {
  maxFailures: number
  windowMs: number
}

/** Ten failures a minute: plenty for a person retyping a token, far too few to guess one. */
export const DEFAULT_FAILED_AUTH_LIMITS: FailedAuthLimits = { maxFailures: 10, windowMs: 60_000 }

// Bounds memory when many addresses fail once; the oldest address is forgotten first.
const MAX_TRACKED_ADDRESSES = 10_000

/** Counts failed authentications per client address in a sliding window. */
export interface FailedAuthLimiter {
  /** Milliseconds until this address may try again, or 0 when it may try now. */
  retryAfter(address: string): number
  recordFailure(address: string): void
  recordSuccess(address: string): void
}

/** Creates an in-memory limiter (per process on Node, per isolate on Workers). */
export function createFailedAuthLimiter(now: () => number, limits: FailedAuthLimits = DEFAULT_FAILED_AUTH_LIMITS): FailedAuthLimiter {
  const failures = new Map<string, number[]>()
  const recent = (address: string): number[] => {
    const cutoff = now() - limits.windowMs
    const kept = (failures.get(address) ?? []).filter((at) => at > cutoff)
    if (kept.length === 0) failures.delete(address)
    else failures.set(address, kept)
    return kept
  }
  return {
    retryAfter(address) {
      const kept = recent(address)
      if (kept.length < limits.maxFailures) return 0
      return Math.max(1, kept[kept.length - limits.maxFailures]! + limits.windowMs - now())
    },
    recordFailure(address) {
      const kept = recent(address)
      kept.push(now())
      failures.delete(address)
      failures.set(address, kept)
      if (failures.size > MAX_TRACKED_ADDRESSES) failures.delete(failures.keys().next().value!)
    },
    recordSuccess(address) {
      failures.delete(address)
    },
  }
}
