import { AppError } from '../errors.js'
import { isSessionStale, type ResetPolicy } from './reset-policy.js'
import { OVERRIDE_FIELDS, PER_TRANSCRIPT_FIELDS, type SessionEntry } from './session-entry.js'
import type { SessionStore } from './session-store.js'
import { createTranscriptHeader } from './transcript-entry.js'
import type { TranscriptStore } from './transcript-store.js'

/** Inputs of `resolveSession`; `store` is the session key's agent store. */
export interface ResolveSessionInput {
  store: SessionStore
  transcripts: TranscriptStore
  /** Canonical session key (see `canonicalizeSessionKey`). */
  key: string
  now: () => number
  /** From `resolveResetPolicy` for this key's type and channel. */
  policy: ResetPolicy
  /** Zone of the daily reset hour; the host's zone upstream, UTC on Fly. */
  timeZone?: string
  /** Channel the message came in on; recorded as `channel` and `lastChannel`. */
  channel?: string
  /** Per-message metadata to merge in (origin, deliveryContext, last*, group fields). */
  patch?: Partial<SessionEntry>
  /** `cwd` of a new transcript's header. */
  cwd?: string
}

/** The session a message belongs to, and whether it just got a new transcript. */
export interface ResolvedSession {
  entry: SessionEntry
  /** A new `sessionId` was created (missing or stale entry, or an explicit reset). */
  isNew: boolean
  /** An existing entry was replaced by a new `sessionId`. */
  wasReset: boolean
}

/**
 * Finds or creates the session for an inbound message: a missing or stale entry gets a new uuid `sessionId`
 * and transcript header; every call refreshes `updatedAt`. Staleness is decided inside the store's serialised
 * update, so two messages racing past a reset boundary produce one new session, not two.
 * @see spec/config-and-runtime.md §5.4
 */
export async function resolveSession(input: ResolveSessionInput): Promise<ResolvedSession> {
  const timestamp = input.now()
  let isNew = false
  let wasReset = false
  const entry = await input.store.update(input.key, (current) => {
    const stale = current !== undefined && isSessionStale(current, timestamp, input.policy, input.timeZone)
    isNew = current === undefined || stale
    wasReset = stale
    const base = current === undefined || stale ? startTranscript(current, timestamp, true) : current
    const channelFields = input.channel === undefined ? {} : { channel: input.channel, lastChannel: input.channel }
    return { ...base, ...input.patch, ...channelFields, sessionId: base.sessionId, updatedAt: timestamp }
  })
  return finish(input, entry, timestamp, isNew, wasReset)
}

/** Inputs of `resetSession`. */
export interface ResetSessionInput {
  store: SessionStore
  transcripts: TranscriptStore
  key: string
  now: () => number
  /** Keep user overrides (model, label, toggles); default true, as `/new` keeps them. */
  keepOverrides?: boolean
  cwd?: string
}

/** Forces a new `sessionId` and transcript for `key` (`/new`, `/reset`, `sessions.reset`), clearing counters. */
export async function resetSession(input: ResetSessionInput): Promise<ResolvedSession> {
  const timestamp = input.now()
  let wasReset = false
  const entry = await input.store.update(input.key, (current) => {
    wasReset = current !== undefined
    return startTranscript(current, timestamp, input.keepOverrides ?? true)
  })
  return finish(input, entry, timestamp, true, wasReset)
}

// A fresh transcript for an existing row keeps its routing data but none of the old transcript's state.
function startTranscript(current: SessionEntry | undefined, timestamp: number, keepOverrides: boolean): SessionEntry {
  const next: Record<string, unknown> = { ...current }
  for (const field of PER_TRANSCRIPT_FIELDS) delete next[field]
  if (!keepOverrides) for (const field of OVERRIDE_FIELDS) delete next[field]
  return { ...next, sessionId: crypto.randomUUID(), updatedAt: timestamp, compactionCount: 0 }
}

async function finish(
  input: { store: SessionStore; transcripts: TranscriptStore; cwd?: string },
  entry: SessionEntry | undefined,
  timestamp: number,
  isNew: boolean,
  wasReset: boolean,
): Promise<ResolvedSession> {
  // update() only returns undefined when the mutation removes the row, which neither caller does.
  if (entry === undefined) throw new AppError('internal', '[sessions] the session entry vanished during resolve')
  if (isNew) {
    // The header's id is the sessionId, so writing it again after a crash is a no-op (appends skip known ids).
    const header = createTranscriptHeader(entry.sessionId, timestamp, input.cwd)
    await input.transcripts.append(input.store.agentId, entry.sessionId, [header])
  }
  return { entry, isNew, wasReset }
}
