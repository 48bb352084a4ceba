import { AppError } from '../errors.js'
import { classifyFailoverError, toErrorMessage, type FailoverReason } from './classify-failover-error.js'
import type { CooldownConfig, FailoverState } from './failover-state.js'

/*
 * Spec §6.3 steps 1–3 at the model level: try each candidate in order, move on only for classified errors, and
 * remember failures per profile so a failing key is left alone for a while. Once an attempt has streamed text to
 * the user, a retry on another model would show a second, different answer, so from then on errors are rethrown.
 */

/** One candidate that did not produce a result, as listed in `All models failed (N): …`. */
export interface AttemptFailure {
  ref: string
  profileId: string
  reason: FailoverReason
  message: string
  /** The thrown error; absent when the candidate was skipped because it was cooling down. */
  error?: unknown
}

/** Thrown when every candidate failed with a classified error or was cooling down. */
export class AllModelsFailedError extends AppError {
  readonly attempts: readonly AttemptFailure[]

  constructor(attempts: readonly AttemptFailure[]) {
    super('provider_failed', `All models failed (${attempts.length}): ${summarize(attempts)}`, {
      cause: attempts.at(-1)?.error,
    })
    this.name = 'AllModelsFailedError'
    this.attempts = attempts
  }
}

/** What an attempt receives: call `markStarted()` once output has reached the user. */
export interface AttemptControl {
  markStarted: () => void
}

/** Candidates, how to attempt one, and where failures are remembered. */
export interface RunWithFailoverOptions<T> {
  /** Model refs in order, already deduped and filtered by the allowlist. */
  candidates: readonly string[]
  /** The profile whose key `attempt` would use for a ref (`<provider>:env` or an auth profile id). */
  profileIdFor: (ref: string) => string
  attempt: (ref: string, control: AttemptControl) => Promise<T>
  state: FailoverState
  now: () => number
  cooldowns?: CooldownConfig
  onAttemptFailed?: (failure: AttemptFailure) => void
}

/** Runs `attempt` on each candidate in turn until one succeeds, failing over only on classified errors. */
export async function runWithFailover<T>(
  options: RunWithFailoverOptions<T>,
): Promise<{ result: T; ref: string; attempts: AttemptFailure[] }> {
  const { candidates, state, now } = options
  if (candidates.length === 0) throw new AppError('internal', '[failover] no model candidates to try')
  const attempts: AttemptFailure[] = []
  const fail = (failure: AttemptFailure): void => {
    attempts.push(failure)
    options.onAttemptFailed?.(failure)
  }

  // Cooling-down candidates are skipped only while another one is available. With env keys there is one profile
  // per provider, so skipping them all would refuse every message until the cooldown ends; trying is better.
  const cooling = await Promise.all(candidates.map((ref) => state.isCoolingDown(options.profileIdFor(ref), now())))
  const skipCooling = cooling.some((isCooling) => !isCooling)
  for (const [index, ref] of candidates.entries()) {
    const profileId = options.profileIdFor(ref)
    if (skipCooling && cooling[index]) {
      fail({ ref, profileId, reason: 'rate_limit', message: 'in cooldown' })
      continue
    }
    let started = false
    try {
      const result = await options.attempt(ref, { markStarted: () => (started = true) })
      await state.markSuccess(profileId, now())
      return { result, ref, attempts }
    } catch (error) {
      const reason = classifyFailoverError(error)
      if (reason === undefined) throw error
      // The profile did fail, so it still earns its cooldown even when the error cannot fail over.
      await state.markFailure(profileId, reason, now(), options.cooldowns)
      if (started) throw error
      fail({ ref, profileId, reason, message: toErrorMessage(error), error })
    }
  }
  // With one real attempt the provider's own error says more than a one-item summary (and reads friendlier).
  const tried = attempts.filter((attempt) => attempt.error !== undefined)
  if (tried.length === 1 && attempts.length === 1) throw tried[0].error
  throw new AllModelsFailedError(attempts)
}

// Several models of one provider fail for the same reason (one missing key); say that once, naming every model.
function summarize(attempts: readonly AttemptFailure[]): string {
  const byMessage = new Map<string, { refs: string[]; reason: string }>()
  for (const attempt of attempts) {
    const key = `${attempt.message}\u0000${attempt.reason}`
    const group = byMessage.get(key) ?? { refs: [], reason: attempt.reason }
    group.refs.push(attempt.ref)
    byMessage.set(key, group)
  }
  return [...byMessage.entries()].map(([key, group]) => `${group.refs.join(', ')}: ${key.split('\u0000')[0].replace(/\.+$/, '')} (${group.reason})`).join(' | ')
}
