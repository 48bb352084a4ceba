import { pairingApprovedText } from '../channels/pairing-store.js'
import type { Config } from '../config/schema.js'
import { DEFAULT_ACCOUNT_ID, resolveTelegramAccount } from './resolve-telegram-account.js'
import { createTelegramApi, DEFAULT_API_BASE } from './telegram-api.js'

/** What sending the notice needs; both the gateway (deps) and the CLI (its own config load) can supply it. */
export interface NoticeContext {
  config: Config
  env: Record<string, string | undefined>
  readText: (path: string) => Promise<string | undefined>
  fetch: typeof fetch
  sleep: (milliseconds: number) => Promise<void>
}

/**
 * Tells an approved Telegram user they can start chatting, with the default account's token, as upstream does.
 * Resolves to an error text instead of throwing: the approval itself already happened.
 * @see spec/telegram.md §2.5
 */
export async function notifyPairingApproved(context: NoticeContext, chatId: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const account = await resolveTelegramAccount(context.config, context.env, DEFAULT_ACCOUNT_ID, context.readText)
  if (account.token === undefined) return { ok: false, error: 'no bot token for the default Telegram account, so the user was not notified' }
  const api = createTelegramApi({ fetch: context.fetch, baseUrl: context.env.TELEGRAM_API_BASE ?? DEFAULT_API_BASE, token: account.token, sleep: context.sleep })
  try {
    await api.call('sendMessage', { chat_id: chatId, text: pairingApprovedText() })
    return { ok: true }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}
