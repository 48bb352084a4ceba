import type { DiscordAccountConfig, ResolvedDiscordAccount } from './resolve-discord-account.js'
import { matchesUserList, type ListedUser } from './matches-user-list.js'
import { toSlug } from './to-slug.js'

type GuildEntry = NonNullable<NonNullable<DiscordAccountConfig['guilds']>[string]>
type ChannelEntry = NonNullable<NonNullable<GuildEntry['channels']>[string]>

/** Where an interaction happened and who sent it, as the access rules need it. */
export interface AccessRequest {
  kind: 'dm' | 'group-dm' | 'guild'
  user: ListedUser & { bot?: boolean }
  guild?: { id: string; name?: string }
  channel: { id: string; name?: string; parentId?: string; parentName?: string; isThread: boolean }
  /** User ids approved through pairing (`discord-allowFrom.json`). */
  pairedUserIds: readonly string[]
}

/** Why a request was refused; the caller turns it into upstream's reply text. */
export type RefusalReason =
  | 'bot'
  | 'dm-disabled'
  | 'dm-not-allowed'
  | 'dm-pairing'
  | 'group-dm-disabled'
  | 'channel-disabled'
  | 'channel-not-allowed'
  | 'user-not-allowed'

/** The outcome of an access check; an allowed guild request carries its matched config entries. */
export type AccessDecision =
  | { allowed: true; guildEntry?: GuildEntry; channelEntry?: ChannelEntry }
  | { allowed: false; reason: RefusalReason }

/**
 * Message-level access for `/ask` and "Ask <bot>": upstream's steps 1–6 and 8 with the mention gate treated as
 * satisfied. Commands that change state use `checkCommandAccess` instead.
 * @see spec/discord.md §6.1, §6.3
 */
export function checkConversationAccess(account: ResolvedDiscordAccount, request: AccessRequest): AccessDecision {
  const settings = account.settings
  if (request.user.bot === true && settings.allowBots !== true) return { allowed: false, reason: 'bot' }
  if (request.kind === 'dm') return checkDm(settings, request)
  if (request.kind === 'group-dm') return checkGroupDm(settings, request)
  const place = checkGuildChannel(account, request)
  if (!place.allowed) return place
  const users = place.channelEntry?.users ?? place.guildEntry?.users
  if (users !== undefined && users.length > 0 && !matchesUserList(users, request.user)) {
    return { allowed: false, reason: 'user-not-allowed' }
  }
  return place
}

/**
 * Native command authorization: the channel rules, then (with `commands.useAccessGroups`, default on) the sender must
 * be an owner (`dm.allowFrom` or paired) or on the channel/guild `users` list. Nobody configured means denied.
 * @see spec/discord.md §6.2
 */
export function checkCommandAccess(
  account: ResolvedDiscordAccount,
  request: AccessRequest,
  useAccessGroups: boolean,
): AccessDecision {
  const settings = account.settings
  if (request.user.bot === true && settings.allowBots !== true) return { allowed: false, reason: 'bot' }
  if (request.kind === 'dm') return checkDm(settings, request)
  const place = request.kind === 'group-dm' ? checkGroupDm(settings, request) : checkGuildChannel(account, request)
  if (!place.allowed || !useAccessGroups) return place
  const owners = [...(settings.dm?.allowFrom ?? []), ...request.pairedUserIds]
  const users = place.allowed ? (place.channelEntry?.users ?? place.guildEntry?.users ?? []) : []
  const authorized = matchesUserList(owners, request.user) || matchesUserList(users, request.user)
  return authorized ? place : { allowed: false, reason: 'user-not-allowed' }
}

function checkDm(settings: DiscordAccountConfig, request: AccessRequest): AccessDecision {
  const dm = settings.dm
  const policy = dm?.policy ?? 'pairing'
  if (dm?.enabled === false || policy === 'disabled') return { allowed: false, reason: 'dm-disabled' }
  if (policy === 'open') return { allowed: true }
  const allowFrom = [...(dm?.allowFrom ?? []), ...request.pairedUserIds]
  if (matchesUserList(allowFrom, request.user)) return { allowed: true }
  return { allowed: false, reason: policy === 'pairing' ? 'dm-pairing' : 'dm-not-allowed' }
}

function checkGroupDm(settings: DiscordAccountConfig, request: AccessRequest): AccessDecision {
  if (settings.dm?.groupEnabled !== true) return { allowed: false, reason: 'group-dm-disabled' }
  const channels = settings.dm.groupChannels ?? []
  if (channels.length === 0) return { allowed: true }
  const keys = channelKeys(request.channel)
  const listed = channels.some((entry) => String(entry).trim() === '*' || keys.some((key) => sameKey(String(entry), key)))
  return listed ? { allowed: true } : { allowed: false, reason: 'channel-not-allowed' }
}

function checkGuildChannel(account: ResolvedDiscordAccount, request: AccessRequest): AccessDecision {
  if (account.groupPolicy === 'disabled') return { allowed: false, reason: 'channel-not-allowed' }
  const guilds = account.settings.guilds ?? {}
  const guildEntry = findGuildEntry(guilds, request.guild)
  if (Object.keys(guilds).length > 0 && guildEntry === undefined) return { allowed: false, reason: 'channel-not-allowed' }
  const channels = guildEntry?.channels ?? {}
  const channelEntry = findChannelEntry(channels, request.channel)
  if (channelEntry?.enabled === false) return { allowed: false, reason: 'channel-disabled' }
  if (channelEntry?.allow === false) return { allowed: false, reason: 'channel-not-allowed' }
  if (account.groupPolicy === 'allowlist') {
    if (guildEntry === undefined) return { allowed: false, reason: 'channel-not-allowed' }
    if (Object.keys(channels).length > 0 && channelEntry === undefined) return { allowed: false, reason: 'channel-not-allowed' }
  }
  return { allowed: true, guildEntry, channelEntry }
}

/** `guilds[id]`, then an entry keyed by (or declaring) the guild name's slug, then `guilds["*"]`. */
function findGuildEntry(guilds: Record<string, GuildEntry | undefined>, guild: AccessRequest['guild']): GuildEntry | undefined {
  if (guild === undefined) return undefined
  const direct = guilds[guild.id]
  if (direct !== undefined) return direct
  const slug = guild.name === undefined ? '' : toSlug(guild.name)
  if (slug !== '') {
    for (const [key, entry] of Object.entries(guilds)) {
      if (entry !== undefined && (toSlug(key) === slug || (entry.slug !== undefined && toSlug(entry.slug) === slug))) return entry
    }
  }
  return guilds['*']
}

/** A channel by id, slug or raw name; a thread by its own id, then its parent's id/slug/name; then `"*"`. */
function findChannelEntry(channels: Record<string, ChannelEntry | undefined>, channel: AccessRequest['channel']): ChannelEntry | undefined {
  const keys = channelKeys(channel)
  for (const key of keys) {
    const match = Object.entries(channels).find(([configured]) => sameKey(configured, key))
    if (match?.[1] !== undefined) return match[1]
  }
  return channels['*']
}

function channelKeys(channel: AccessRequest['channel']): string[] {
  if (channel.isThread) return [channel.id, channel.parentId, channel.parentName].filter(isPresent)
  return [channel.id, channel.name].filter(isPresent)
}

function sameKey(configured: string, key: string): boolean {
  if (configured === key) return true
  // Ids must match exactly; names match by slug so `#General` and `general` are the same channel.
  return !/^\d+$/.test(key) && toSlug(configured) !== '' && toSlug(configured) === toSlug(key)
}

function isPresent(value: string | undefined): value is string {
  return value !== undefined && value !== ''
}
