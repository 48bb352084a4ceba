import { ChannelKind, IntegrationKind, InteractionContextKind } from './discord-api.js'
import type { Interaction } from './interaction-schema.js'

/** Who invoked an interaction and where, normalized across guild, DM and user-install payloads. */
export interface InteractionContext {
  kind: 'dm' | 'group-dm' | 'guild'
  user: { id: string; username?: string; globalName?: string; nick?: string; tag?: string; bot?: boolean }
  guildId?: string
  channel: { id: string; name?: string; topic?: string; parentId?: string; isThread: boolean }
  /** Used where the app is only user-installed: follow-ups are capped at five. */
  userInstallOnly: boolean
}

const THREAD_TYPES: ReadonlySet<number> = new Set([
  ChannelKind.announcementThread,
  ChannelKind.publicThread,
  ChannelKind.privateThread,
])

/**
 * Reads the invoker and place from an interaction: `member.user` in guilds, `user` elsewhere; the channel partial
 * gives name, topic and (for threads) the parent. Returns undefined when the payload names no user or channel.
 * @see spec/discord.md §8
 */
export function toInteractionContext(interaction: Interaction): InteractionContext | undefined {
  const rawUser = interaction.member?.user ?? interaction.user
  const channelId = interaction.channel?.id ?? interaction.channel_id
  if (rawUser === undefined || channelId === undefined) return undefined
  const channel = interaction.channel
  const discriminator = rawUser.discriminator
  const user = {
    id: rawUser.id,
    username: rawUser.username,
    globalName: rawUser.global_name ?? undefined,
    nick: interaction.member?.nick ?? undefined,
    // New usernames report discriminator "0": their tag is the bare username.
    tag: discriminator !== undefined && discriminator !== '0' ? `${rawUser.username}#${discriminator}` : rawUser.username,
    bot: rawUser.bot,
  }
  const owners = interaction.authorizing_integration_owners ?? {}
  return {
    kind: kindOf(interaction),
    user,
    guildId: interaction.guild_id,
    channel: {
      id: channelId,
      name: channel?.name ?? undefined,
      topic: channel?.topic ?? undefined,
      parentId: channel?.parent_id ?? undefined,
      isThread: channel?.type !== undefined && THREAD_TYPES.has(channel.type),
    },
    userInstallOnly:
      owners[String(IntegrationKind.userInstall)] !== undefined && owners[String(IntegrationKind.guildInstall)] === undefined,
  }
}

/** `Nick (user#tag)`, the sender label group prompts use. */
export function toSenderLabel(context: InteractionContext): string {
  const { user } = context
  const shown = user.nick ?? user.globalName ?? user.username ?? user.id
  const tag = user.tag ?? user.id
  return shown === tag ? shown : `${shown} (${tag})`
}

function kindOf(interaction: Interaction): InteractionContext['kind'] {
  if (interaction.guild_id !== undefined) return 'guild'
  // A DM or group DM where the app is user-installed: not the bot's own DM, so group-DM rules apply.
  if (interaction.context === InteractionContextKind.privateChannel) return 'group-dm'
  if (interaction.channel?.type === ChannelKind.groupDm) return 'group-dm'
  return 'dm'
}
