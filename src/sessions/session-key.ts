import { normalizeAgentId } from '../config/config-lookup.js'

/*
 * Session keys name conversations; they are never storage keys (they contain `:`), only keys inside the index.
 * Everything is lower-cased, and the agent id is normalized, so one conversation always maps to one string.
 * @see spec/config-and-runtime.md §5.1, spec/protocol.md §6.1
 */

/** The one session every sender shares under `session.scope: "global"`. */
export const GLOBAL_SESSION_KEY = 'global'
/** The bare key of messages whose conversation could not be determined; `sessions.list` hides it. */
export const UNKNOWN_SESSION_KEY = 'unknown'
/** The main session's key suffix; `session.mainKey` is always forced to it. */
export const MAIN_KEY = 'main'

/** How direct messages are grouped into sessions (`session.dmScope`). */
export type DmScope = 'main' | 'per-peer' | 'per-channel-peer' | 'per-account-channel-peer'

/** Where a direct-message session key comes from. */
export interface DirectSessionKeyInput {
  agentId: string
  peerId: string
  channel?: string
  accountId?: string
  dmScope?: DmScope
  /** `session.scope`; `global` sends every direct message to the one global session. */
  scope?: 'per-sender' | 'global'
  /** `session.identityLinks`: canonical name → `["discord:<id>", …]`. */
  identityLinks?: Record<string, string[]>
}

/** The main direct session of an agent: `agent:<agentId>:main`. */
export function mainSessionKey(agentId: string): string {
  return agentKey(agentId, MAIN_KEY)
}

/** A direct-message session key for the configured `dmScope` (default `main`: every sender shares one session). */
export function directSessionKey(input: DirectSessionKeyInput): string {
  if (input.scope === 'global') return GLOBAL_SESSION_KEY
  const dmScope = input.dmScope ?? 'main'
  if (dmScope === 'main') return mainSessionKey(input.agentId)
  const channel = input.channel ?? 'discord'
  const peer = linkedIdentity(channel, input.peerId, input.identityLinks) ?? input.peerId
  if (dmScope === 'per-peer') return agentKey(input.agentId, `dm:${peer}`)
  if (dmScope === 'per-channel-peer') return agentKey(input.agentId, `${channel}:dm:${peer}`)
  return agentKey(input.agentId, `${channel}:${input.accountId ?? 'default'}:dm:${peer}`)
}

/** A guild (server) channel's session key: `agent:<a>:discord:channel:<channelId>`. */
export function channelSessionKey(agentId: string, channelId: string, channel = 'discord'): string {
  return agentKey(agentId, `${channel}:channel:${channelId}`)
}

/**
 * A Discord thread's session key (the thread is its own channel, with no `:thread:` suffix) and its parent
 * channel's key, which the caller records so the new session can fork from the parent's transcript.
 */
export function threadSessionKey(
  agentId: string,
  threadId: string,
  parentChannelId: string,
  channel = 'discord',
): { key: string; parentKey: string } {
  return { key: channelSessionKey(agentId, threadId, channel), parentKey: channelSessionKey(agentId, parentChannelId, channel) }
}

/** A group DM's session key: `agent:<a>:discord:group:<channelId>`. */
export function groupSessionKey(agentId: string, channelId: string, channel = 'discord'): string {
  return agentKey(agentId, `${channel}:group:${channelId}`)
}

/** The key of a native slash command's own run; state changes target the conversation key instead. */
export function slashSessionKey(agentId: string, userId: string, channel = 'discord'): string {
  return agentKey(agentId, `${channel}:slash:${userId}`)
}

/** A cron job's session key, in the canonical agent-scoped form (`cron:<jobId>` is the bare alias). */
export function cronSessionKey(agentId: string, jobId: string): string {
  return agentKey(agentId, `cron:${jobId}`)
}

/** A webhook run's session key; each call without an id gets a fresh uuid. */
export function hookSessionKey(agentId: string, hookId: string = crypto.randomUUID()): string {
  return agentKey(agentId, `hook:${hookId}`)
}

/**
 * Brings a client-sent key into its stored form: `main` → `agent:<default>:main`, bare `foo` →
 * `agent:<default>:foo`, `agent:` keys kept with their agent id normalized, `global`/`unknown` kept.
 */
export function canonicalizeSessionKey(key: string, defaultAgentId: string): string {
  const lowered = key.trim().toLowerCase()
  if (lowered === GLOBAL_SESSION_KEY || lowered === UNKNOWN_SESSION_KEY) return lowered
  if (lowered === '' || lowered === MAIN_KEY) return mainSessionKey(defaultAgentId)
  const parsed = splitAgentKey(lowered)
  if (parsed === undefined) return agentKey(defaultAgentId, lowered)
  return agentKey(parsed.agentId, parsed.rest === '' ? MAIN_KEY : parsed.rest)
}

/** The normalized agent id of an `agent:<id>:<rest>` key, or undefined for bare keys. */
export function parseAgentIdFromKey(key: string): string | undefined {
  return splitAgentKey(key.trim().toLowerCase())?.agentId
}

/** The kind `sessions.list` reports: `global`/`unknown` as themselves, group rooms as `group`, else `direct`. */
export function sessionKind(
  key: string,
  chatType?: 'direct' | 'group' | 'channel',
): 'global' | 'unknown' | 'group' | 'direct' {
  const lowered = key.trim().toLowerCase()
  if (lowered === GLOBAL_SESSION_KEY || lowered === UNKNOWN_SESSION_KEY) return lowered
  if (lowered.includes(':group:') || lowered.includes(':channel:')) return 'group'
  return chatType === 'group' || chatType === 'channel' ? 'group' : 'direct'
}

function agentKey(agentId: string, rest: string): string {
  return `agent:${normalizeAgentId(agentId)}:${rest}`.toLowerCase()
}

function splitAgentKey(lowered: string): { agentId: string; rest: string } | undefined {
  if (!lowered.startsWith('agent:')) return undefined
  const afterPrefix = lowered.slice('agent:'.length)
  const separator = afterPrefix.indexOf(':')
  const rawId = separator === -1 ? afterPrefix : afterPrefix.slice(0, separator)
  const rest = separator === -1 ? '' : afterPrefix.slice(separator + 1)
  return { agentId: normalizeAgentId(rawId), rest }
}

function linkedIdentity(
  channel: string,
  peerId: string,
  identityLinks: Record<string, string[]> | undefined,
): string | undefined {
  if (identityLinks === undefined) return undefined
  const wanted = `${channel}:${peerId}`.toLowerCase()
  for (const [canonical, members] of Object.entries(identityLinks)) {
    if (members.some((member) => member.trim().toLowerCase() === wanted)) return canonical
  }
  return undefined
}
