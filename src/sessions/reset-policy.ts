import type { Config } from '../config/schema.js'
import { mostRecentHourStart } from './most-recent-hour-start.js'
import type { SessionEntry } from './session-entry.js'

/*
 * When a session key gets a fresh transcript. Evaluated lazily, on the next inbound message for that key.
 * @see spec/config-and-runtime.md §5.4
 */

type SessionConfig = NonNullable<Config['session']>
type ResetSpec = NonNullable<SessionConfig['reset']>

/** Which `resetByType` bucket a session falls in. */
export type SessionResetType = 'dm' | 'group' | 'thread'

/** A resolved reset policy: daily at `atHour` (plus idle when `idleMinutes` is set), or idle only. */
export interface ResetPolicy {
  mode: 'daily' | 'idle'
  atHour: number
  idleMinutes?: number
}

/** Hour of the daily reset when none is configured. */
export const DEFAULT_RESET_AT_HOUR = 4
/** Idle timeout of `mode: "idle"` when no minutes are configured. */
export const DEFAULT_IDLE_MINUTES = 60
/** `session.resetTriggers` default. */
export const DEFAULT_RESET_TRIGGERS: readonly string[] = ['/new', '/reset']

/** The reset type of a session: thread beats group beats dm. */
export function sessionResetType(
  key: string,
  context: { isThread?: boolean; chatType?: SessionEntry['chatType'] } = {},
): SessionResetType {
  const lowered = key.toLowerCase()
  if (context.isThread === true || lowered.includes(':thread:') || lowered.includes(':topic:')) return 'thread'
  if (lowered.includes(':group:') || lowered.includes(':channel:')) return 'group'
  return context.chatType === 'group' || context.chatType === 'channel' ? 'group' : 'dm'
}

/**
 * The policy for one session: `resetByChannel[channel]` alone when present; otherwise each field from
 * `resetByType[type]`, then `reset`; a legacy `idleMinutes` with neither block means idle-only.
 */
export function resolveResetPolicy(
  session: SessionConfig | undefined,
  target: { type: SessionResetType; channel?: string },
): ResetPolicy {
  const channelSpec = target.channel === undefined ? undefined : session?.resetByChannel?.[target.channel]
  if (channelSpec !== undefined) return normalize(channelSpec.mode, channelSpec.atHour, channelSpec.idleMinutes)
  const typeSpec: ResetSpec | undefined = session?.resetByType?.[target.type]
  const baseSpec = session?.reset
  const legacyIdleMinutes = session?.idleMinutes
  const explicit = baseSpec !== undefined || session?.resetByType !== undefined
  const mode = typeSpec?.mode ?? baseSpec?.mode ?? (!explicit && legacyIdleMinutes !== undefined ? 'idle' : undefined)
  const idleMinutes = typeSpec?.idleMinutes ?? baseSpec?.idleMinutes ?? legacyIdleMinutes
  return normalize(mode, typeSpec?.atHour ?? baseSpec?.atHour, idleMinutes)
}

/** Whether `entry` must start over at `now`: past the latest daily boundary in `timeZone`, or idle too long. */
export function isSessionStale(
  entry: Pick<SessionEntry, 'updatedAt'>,
  now: number,
  policy: ResetPolicy,
  timeZone = 'UTC',
): boolean {
  const idleStale = policy.idleMinutes !== undefined && now > entry.updatedAt + policy.idleMinutes * 60_000
  if (policy.mode === 'idle') return idleStale
  return idleStale || entry.updatedAt < mostRecentHourStart(now, policy.atHour, timeZone)
}

/**
 * Recognises a reset command: the text equals a trigger, or starts with the trigger and a space (both
 * case-insensitive). The remainder is passed on as the first message of the new session.
 */
export function matchResetTrigger(
  text: string,
  triggers: readonly string[] = DEFAULT_RESET_TRIGGERS,
): { trigger: string; remainder: string } | undefined {
  const trimmed = text.trim()
  const lowered = trimmed.toLowerCase()
  for (const trigger of triggers) {
    const wanted = trigger.trim().toLowerCase()
    if (wanted === '') continue
    if (lowered === wanted) return { trigger, remainder: '' }
    if (lowered.startsWith(`${wanted} `)) return { trigger, remainder: trimmed.slice(wanted.length + 1).trim() }
  }
  return undefined
}

function normalize(mode: ResetPolicy['mode'] | undefined, atHour: number | undefined, idleMinutes: number | undefined): ResetPolicy {
  const resolvedMode = mode ?? 'daily'
  const policy: ResetPolicy = { mode: resolvedMode, atHour: atHour ?? DEFAULT_RESET_AT_HOUR }
  if (resolvedMode === 'idle') policy.idleMinutes = idleMinutes ?? DEFAULT_IDLE_MINUTES
  else if (idleMinutes !== undefined) policy.idleMinutes = idleMinutes
  return policy
}
