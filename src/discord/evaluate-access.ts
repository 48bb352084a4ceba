import { checkCommandAccess, checkConversationAccess, type AccessDecision, type RefusalReason } from './access-policy.js'
import type { InteractionScope } from './interaction-scope.js'
import { pairingReply, readPairedUserIds, upsertPairingRequest } from '../channels/pairing-store.js'
import type { ResolvedDiscordAccount } from './resolve-discord-account.js'

/** Upstream's refusal texts (spec/discord.md §6.2). */
export const REFUSAL_TEXT = {
  channelDisabled: 'This channel is disabled.',
  channelNotAllowed: 'This channel is not allowed.',
  dmsDisabled: 'Discord DMs are disabled.',
  notAuthorized: 'You are not authorized to use this command.',
} as const

/** An allowed request with what the handlers reuse, or the text to refuse it with. */
export type AccessOutcome =
  | { allowed: true; decision: Extract<AccessDecision, { allowed: true }>; guildName?: string }
  | { allowed: false; text: string }

/**
 * Runs the access rules for one interaction: `conversation` for `/ask`-style entry points, `command` for control
 * commands. It looks up what the payload lacks (paired users, guild and thread-parent names) only when the config
 * needs it, and turns a refusal into its reply, creating a pairing request for unknown DM senders.
 */
export async function evaluateAccess(scope: InteractionScope, mode: 'conversation' | 'command'): Promise<AccessOutcome> {
  const { context, account, deps } = scope
  const resolved = account.settings()
  const pairedUserIds = await readPairedUserIds(deps.storage)
  const guild = context.guildId === undefined ? undefined : { id: context.guildId, name: await guildNameIfNeeded(scope, resolved) }
  const parentName = await parentNameIfNeeded(scope, resolved)
  const request = { kind: context.kind, user: context.user, guild, channel: { ...context.channel, parentName }, pairedUserIds }
  const useAccessGroups = deps.state.config.commands?.useAccessGroups !== false
  const decision =
    mode === 'conversation' ? checkConversationAccess(resolved, request) : checkCommandAccess(resolved, request, useAccessGroups)
  if (decision.allowed) return { allowed: true, decision, guildName: guild?.name }
  scope.logger.debug(`[${account.accountId}] refused interaction from ${context.user.id} in ${context.channel.id}: ${decision.reason}`)
  return { allowed: false, text: await refusalText(scope, decision.reason) }
}

async function refusalText(scope: InteractionScope, reason: RefusalReason): Promise<string> {
  if (reason === 'channel-disabled') return REFUSAL_TEXT.channelDisabled
  if (reason === 'channel-not-allowed' || reason === 'group-dm-disabled') return REFUSAL_TEXT.channelNotAllowed
  if (reason === 'dm-disabled') return REFUSAL_TEXT.dmsDisabled
  if (reason === 'dm-pairing') {
    const { user } = scope.context
    const pairing = await upsertPairingRequest(scope.deps.storage, user.id, scope.deps.now(), {
      username: user.username,
      globalName: user.globalName,
    })
    if (pairing !== undefined) return pairingReply(user.id, pairing.code)
  }
  return REFUSAL_TEXT.notAuthorized
}

/** The guild name is fetched only when a slug-keyed guild entry could match and the id did not. */
async function guildNameIfNeeded(scope: InteractionScope, resolved: ResolvedDiscordAccount): Promise<string | undefined> {
  const guildId = scope.context.guildId as string
  const guilds = resolved.settings.guilds ?? {}
  if (guilds[guildId] !== undefined) return undefined
  const slugKeyed = Object.entries(guilds).some(([key, entry]) => (key !== '*' && !/^\d+$/.test(key)) || entry?.slug !== undefined)
  return slugKeyed ? scope.account.names.guildName(guildId) : undefined
}

/** A thread's parent name is fetched only when some channel entry is keyed by name. */
async function parentNameIfNeeded(scope: InteractionScope, resolved: ResolvedDiscordAccount): Promise<string | undefined> {
  const { channel } = scope.context
  if (!channel.isThread || channel.parentId === undefined) return undefined
  const nameKeyed = Object.values(resolved.settings.guilds ?? {}).some((guild) =>
    Object.keys(guild?.channels ?? {}).some((key) => key !== '*' && !/^\d+$/.test(key)),
  )
  return nameKeyed ? scope.account.names.channelName(channel.parentId) : undefined
}
