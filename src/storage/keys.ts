import { AppError } from '../errors.js'

/*
 * Every storage key is built here, so one scheme holds for the fs driver (`a:b:c` ↔ `a/b/c`) and Cloudflare KV.
 * Rules (spec/platforms.md §3.1): leaf keys end in an extension, prefixes never do, so a file and a directory can
 * never want the same path; variable parts go through `toKeySegment`, which leaves no `.`, `:`, `/`, `\` or `?`,
 * so a segment can neither look like a leaf, split into two, nor climb out of the base with `..`.
 */

/** Longest encoded segment; leaves room in a 255-byte file name for the extension and the atomic-write temp name. */
export const MAX_KEY_SEGMENT_LENGTH = 200

const PLAIN_CHARACTER = /^[A-Za-z0-9_-]$/
const ESCAPE = '~'
const ESCAPED_SEGMENT = /^(?:[A-Za-z0-9_-]|~[0-9A-F]{2})+$/
const UTF8_ENCODER = new TextEncoder()

/** Encodes an id (agent, session, account) as one key segment: `[A-Za-z0-9_-]` stay, every other UTF-8 byte becomes `~XX`. */
export function toKeySegment(value: string): string {
  if (value.length === 0) throw new AppError('internal', '[storage] a key segment must not be empty')
  let encoded = ''
  for (const character of value) {
    if (PLAIN_CHARACTER.test(character)) {
      encoded += character
      continue
    }
    for (const byte of UTF8_ENCODER.encode(character)) {
      encoded += ESCAPE + byte.toString(16).toUpperCase().padStart(2, '0')
    }
  }
  if (encoded.length > MAX_KEY_SEGMENT_LENGTH) {
    throw new AppError('internal', `[storage] a key segment is longer than ${MAX_KEY_SEGMENT_LENGTH} characters once encoded`)
  }
  return encoded
}

/** Decodes a segment made by `toKeySegment`; throws on anything it could not have produced. */
export function fromKeySegment(segment: string): string {
  if (!ESCAPED_SEGMENT.test(segment)) throw new AppError('internal', '[storage] not an encoded key segment')
  const bytes: number[] = []
  for (let index = 0; index < segment.length; index += 1) {
    if (segment[index] === ESCAPE) {
      bytes.push(Number.parseInt(segment.slice(index + 1, index + 3), 16))
      index += 2
    } else {
      bytes.push(segment.charCodeAt(index))
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes))
  } catch (error) {
    throw new AppError('internal', '[storage] an encoded key segment is not valid UTF-8', { cause: error })
  }
}

/** Key of an agent's session index (session key → SessionEntry), as upstream's `sessions/sessions.json`. */
export function sessionsIndexKey(agentId: string): string {
  return `agents:${toKeySegment(agentId)}:sessions:sessions.json`
}

/** Prefix (ending in `:`) under which one session's transcript chunks live; pass it to `getKeys`. */
export function transcriptPrefix(agentId: string, sessionId: string): string {
  return `agents:${toKeySegment(agentId)}:sessions:${toKeySegment(sessionId)}:`
}

/** Key of one transcript chunk; the zero-padded index keeps lexical order equal to append order. */
export function transcriptChunkKey(agentId: string, sessionId: string, index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new AppError('internal', '[storage] a transcript chunk index must be a non-negative integer')
  }
  return `${transcriptPrefix(agentId, sessionId)}${String(index).padStart(6, '0')}.jsonl`
}

/** Key of the small head document of one transcript (index of its last chunk); it may lag behind the chunks. */
export function transcriptMetaKey(agentId: string, sessionId: string): string {
  return `${transcriptPrefix(agentId, sessionId)}meta.json`
}

/** Key where an unreadable session index is copied before it is replaced; `timestamp` is epoch ms. */
export function sessionsIndexCorruptKey(agentId: string, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new AppError('internal', '[storage] a corrupt-copy timestamp must be a non-negative integer')
  }
  return `agents:${toKeySegment(agentId)}:sessions:sessions-corrupt-${timestamp}.json`
}

/** Key of an agent's credential store, as upstream's `agent/auth-profiles.json`. */
export function authProfilesKey(agentId: string): string {
  return `agents:${toKeySegment(agentId)}:agent:auth-profiles.json`
}

/** Prefix (ending in `:`) of the account's replies still being written; pass it to `getKeys`. */
export function discordPendingReplyPrefix(accountId: string): string {
  return `discord:${toKeySegment(accountId)}:pending-replies:`
}

/** Key of one reply still being written (deleted when it is delivered), so a restart can tell the user to retry. */
export function discordPendingReplyKey(accountId: string, interactionId: string): string {
  return `${discordPendingReplyPrefix(accountId)}${toKeySegment(interactionId)}.json`
}

/** Key of a channel's pending pairing requests (upstream `credentials/<channel>-pairing.json`). */
export function pairingRequestsKey(channel: string): string {
  return `credentials:${toKeySegment(channel)}-pairing.json`
}

/** Key of a channel's DM allowlist approved through pairing (upstream `credentials/<channel>-allowFrom.json`). */
export function pairingAllowFromKey(channel: string): string {
  return `credentials:${toKeySegment(channel)}-allowFrom.json`
}

/** Key of pending Discord pairing requests (upstream `credentials/discord-pairing.json`). */
export function discordPairingKey(): string {
  return pairingRequestsKey('discord')
}

/** Key of the Discord DM allowlist approved through pairing (upstream `credentials/discord-allowFrom.json`). */
export function discordAllowFromKey(): string {
  return pairingAllowFromKey('discord')
}

/** Key of recently seen Telegram update ids of one account, kept across restarts for webhook dedupe. */
export function telegramRecentUpdatesKey(accountId: string): string {
  return `telegram:${toKeySegment(accountId)}:recent-updates.json`
}

/** Key of per-account Telegram state (hash of the registered command menu). */
export function telegramStateKey(accountId: string): string {
  return `telegram:${toKeySegment(accountId)}:state.json`
}

/** Key of per-account Discord state (application id, registered commands). */
export function discordStateKey(accountId: string): string {
  return `discord:${toKeySegment(accountId)}:state.json`
}

/** Key of the model failover state (cooldowns, last good profile). */
export function failoverStateKey(): string {
  return 'runtime:failover.json'
}

/** Key of the cron job store (upstream `cron/jobs.json`); `directory` is the store's folder under the state dir. */
export function cronJobsKey(directory = 'cron', fileName = 'jobs.json'): string {
  return `${directory}:${fileName}`
}

/** Key of one cron job's run log (upstream `cron/runs/<jobId>.jsonl`). */
export function cronRunLogKey(jobId: string, directory = 'cron'): string {
  return `${directory}:runs:${toKeySegment(jobId)}.jsonl`
}

/** Key of the heartbeat runner's per-agent last run times, so a restart keeps the cadence instead of resetting it. */
export function heartbeatStateKey(): string {
  return 'runtime:heartbeat.json'
}
