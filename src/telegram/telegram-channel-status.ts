import type { TelegramChannel } from './telegram-channel.js'

/**
 * The Telegram entry for `channels.status` and `/api/health` in the upstream UI's card shape: the default account as
 * the summary, every account in `accounts`. Empty when Telegram is not configured, so no card appears.
 */
export async function telegramChannelStatus(telegram: TelegramChannel, options: { probe?: boolean } = {}): Promise<Record<string, Record<string, unknown>>> {
  const status = await telegram.status(options)
  if (status === undefined) return {}
  const { accounts, ...summary } = status
  return {
    telegram: {
      ...summary,
      connected: summary.running,
      lastError: summary.lastError ?? null,
      accounts: accounts ? Object.values(accounts) : [summary],
      defaultAccountId: summary.accountId,
    },
  }
}
