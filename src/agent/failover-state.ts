import type { Storage } from 'unstorage'
import { z } from 'zod'
import type { Config } from '../config/schema.js'
import { failoverStateKey } from '../storage/keys.js'
import type { FailoverReason } from './classify-failover-error.js'

/*
 * Spec §6.3 step 4: per-profile cooldowns that survive restarts. A profile id is `<provider>:env` when the key comes
 * from the environment, or an auth profile id (`anthropic:work`); the provider is the part before the first `:`.
 * One gateway owns the state (single writer), so it is loaded once, kept in memory and written through a queue.
 */

/** `auth.cooldowns` from the config; every field is optional and falls back to the spec default. */
export type CooldownConfig = NonNullable<NonNullable<Config['auth']>['cooldowns']>

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const MAX_COOLDOWN_MS = HOUR_MS
const DEFAULT_BILLING_BACKOFF_HOURS = 5
const DEFAULT_BILLING_MAX_HOURS = 24
const DEFAULT_FAILURE_WINDOW_HOURS = 24

const ReasonSchema = z.enum(['billing', 'rate_limit', 'auth', 'timeout', 'format', 'unknown'])

const ProfileUsageSchema = z.object({
  lastUsed: z.number().optional(),
  cooldownUntil: z.number().optional(),
  disabledUntil: z.number().optional(),
  disabledReason: ReasonSchema.optional(),
  errorCount: z.number().int().nonnegative(),
  failureCounts: z.partialRecord(ReasonSchema, z.number().int().nonnegative()),
  lastFailureAt: z.number().optional(),
})

const StoredStateSchema = z.object({ version: z.literal(1), profiles: z.record(z.string(), ProfileUsageSchema) })

/** Usage and cooldown record of one profile, as upstream keeps it in `usageStats`. */
export type ProfileUsage = z.infer<typeof ProfileUsageSchema>

/** Persistent per-profile failure counters and cooldowns, stored under `failoverStateKey()`. */
export class FailoverState {
  readonly #storage: Storage
  readonly #onWriteError: (error: unknown) => void
  #profiles: Promise<Record<string, ProfileUsage>> | undefined
  #writes: Promise<void> = Promise.resolve()

  /** `onWriteError` hears about failed writes; the in-memory state stays current, so runs carry on regardless. */
  constructor(options: { storage: Storage; onWriteError?: (error: unknown) => void }) {
    this.#storage = options.storage
    this.#onWriteError = options.onWriteError ?? (() => {})
  }

  /** Records a classified failure and starts the cooldown (or, for billing, the longer disable) it earns. */
  async markFailure(profileId: string, reason: FailoverReason, now: number, cooldowns: CooldownConfig = {}): Promise<ProfileUsage> {
    const profiles = await this.#load()
    const previous = profiles[profileId]
    const windowMs = (cooldowns.failureWindowHours ?? DEFAULT_FAILURE_WINDOW_HOURS) * HOUR_MS
    // Failures older than the window say nothing about the profile now, so the backoff starts over.
    const stale = previous?.lastFailureAt === undefined || now - previous.lastFailureAt > windowMs
    const errorCount = (stale ? 0 : previous.errorCount) + 1
    const failureCounts = stale ? {} : { ...previous.failureCounts }
    failureCounts[reason] = (failureCounts[reason] ?? 0) + 1
    const next: ProfileUsage = { ...previous, errorCount, failureCounts, lastFailureAt: now }
    if (reason === 'billing') {
      const provider = profileId.split(':')[0]!
      const backoffHours =
        cooldowns.billingBackoffHoursByProvider?.[provider] ?? cooldowns.billingBackoffHours ?? DEFAULT_BILLING_BACKOFF_HOURS
      const maxHours = cooldowns.billingMaxHours ?? DEFAULT_BILLING_MAX_HOURS
      const hours = Math.min(maxHours, backoffHours * 2 ** (failureCounts.billing! - 1))
      next.disabledUntil = now + hours * HOUR_MS
      next.disabledReason = 'billing'
    } else {
      next.cooldownUntil = now + Math.min(MAX_COOLDOWN_MS, MINUTE_MS * 5 ** (errorCount - 1))
    }
    profiles[profileId] = next
    await this.#save(profiles)
    return next
  }

  /** Records a successful call: the profile's error count and cooldowns are cleared and `lastUsed` set. */
  async markSuccess(profileId: string, now: number): Promise<void> {
    const profiles = await this.#load()
    const { lastFailureAt } = profiles[profileId] ?? {}
    profiles[profileId] = { lastUsed: now, errorCount: 0, failureCounts: {}, lastFailureAt }
    await this.#save(profiles)
  }

  /** True while the profile is in a cooldown or disabled for billing. */
  async isCoolingDown(profileId: string, now: number): Promise<boolean> {
    return now < (await this.availableAt(profileId))
  }

  /** Epoch ms from which the profile may be tried again (0 when it never failed). */
  async availableAt(profileId: string): Promise<number> {
    const usage = (await this.#load())[profileId]
    return Math.max(usage?.cooldownUntil ?? 0, usage?.disabledUntil ?? 0)
  }

  /** A copy of every profile's record, for status output and tests. */
  async snapshot(): Promise<Record<string, ProfileUsage>> {
    return structuredClone(await this.#load())
  }

  #load(): Promise<Record<string, ProfileUsage>> {
    this.#profiles ??= this.#storage.getItem(failoverStateKey()).then(
      (raw) => {
        const parsed = StoredStateSchema.safeParse(raw)
        // A corrupt or foreign file only costs remembered cooldowns; starting fresh keeps the gateway answering.
        return parsed.success ? parsed.data.profiles : {}
      },
      () => ({}),
    )
    return this.#profiles
  }

  #save(profiles: Record<string, ProfileUsage>): Promise<void> {
    const document = { version: 1, profiles: structuredClone(profiles) }
    // Chained so writes land in call order; a failed write is reported and never blocks the next one.
    this.#writes = this.#writes.then(() => this.#storage.setItem(failoverStateKey(), document)).catch(this.#onWriteError)
    return this.#writes
  }
}
