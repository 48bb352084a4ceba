import type { DiscordChannel } from './discord-channel.js'

/**
 * The Discord entry for `channels.status` and `/api/health`: the default account's status as the summary, every
 * account in `accounts`. Empty when no Discord account is configured, so no Discord card appears.
 */
export function discordChannelStatus(discord: DiscordChannel): Record<string, Record<string, unknown>> {
  if (discord.accountIds().length === 0) return {}
  const status = discord.status() as unknown as Record<string, unknown> & { accounts?: Record<string, unknown> }
  const { accounts, ...summary } = status
  return {
    discord: {
      ...summary,
      accounts: accounts ? Object.values(accounts) : [summary],
      defaultAccountId: typeof summary.accountId === 'string' ? summary.accountId : 'default',
    },
  }
}
