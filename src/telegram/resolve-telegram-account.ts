import type { Config } from '../config/schema.js'
import type { TelegramAccountConfig } from '../config/schema-telegram.js'

/** The account id of the base `channels.telegram` object and of `TELEGRAM_BOT_TOKEN`. */
export const DEFAULT_ACCOUNT_ID = 'default'
/** Local route of the webhook when `webhookPath` is not set (upstream's default). */
export const DEFAULT_WEBHOOK_PATH = '/telegram-webhook'

/** One account's settings: the base object with the account's keys shallow-merged over it. */
export type TelegramSettings = Partial<TelegramAccountConfig>

/** Where the bot token came from, as the status card reports it. */
export type TokenSource = 'tokenFile' | 'config' | 'env' | 'none'

/** Everything the channel knows about one account from config and env, before any network call. */
export interface ResolvedTelegramAccount {
  accountId: string
  enabled: boolean
  token?: string
  tokenSource: TokenSource
  /** Why there is no token although one was pointed to (a missing `tokenFile`). */
  tokenProblem?: string
  settings: TelegramSettings
  /** Whether a `channels.telegram` block exists; without one no zod defaults apply (spec/telegram.md §1.2). */
  hasConfigBlock: boolean
  groupPolicy: 'open' | 'disabled' | 'allowlist'
  dmPolicy: 'pairing' | 'allowlist' | 'open' | 'disabled'
}

type ReadText = (path: string) => Promise<string | undefined>

/**
 * The account ids Telegram runs: keys of `accounts` plus account ids named by telegram bindings, else `default`;
 * none at all when there is neither a `channels.telegram` block nor `TELEGRAM_BOT_TOKEN`.
 * @see spec/telegram.md §1.2
 */
export function listTelegramAccountIds(config: Config, env: Record<string, string | undefined>): string[] {
  const block = config.channels?.telegram
  if (block === undefined && (env.TELEGRAM_BOT_TOKEN ?? '').trim() === '') return []
  const ids = new Set(Object.keys(block?.accounts ?? {}).map(normalizeAccountId))
  for (const binding of config.bindings ?? []) {
    const accountId = binding.match.accountId
    if (binding.match.channel.toLowerCase() === 'telegram' && accountId !== undefined && accountId !== '*') ids.add(normalizeAccountId(accountId))
  }
  return ids.size > 0 ? [...ids] : [DEFAULT_ACCOUNT_ID]
}

/**
 * Resolves one account: shallow merge of base and account keys, and the token in upstream's order
 * (account tokenFile, account botToken, then for `default` only base tokenFile, base botToken, `TELEGRAM_BOT_TOKEN`).
 */
export async function resolveTelegramAccount(
  config: Config,
  env: Record<string, string | undefined>,
  accountId: string,
  readText: ReadText,
): Promise<ResolvedTelegramAccount> {
  const block = config.channels?.telegram
  const { accounts, ...rest } = block ?? { accounts: undefined }
  const base: TelegramSettings = rest
  const account = findAccount(accounts, accountId)
  const settings = telegramSettings(config, accountId)
  const isDefault = accountId === DEFAULT_ACCOUNT_ID
  const candidates: Array<{ source: TokenSource; file?: string; value?: string; label: string }> = [
    { source: 'tokenFile', file: account?.tokenFile, label: `channels.telegram.accounts.${accountId}.tokenFile` },
    { source: 'config', value: account?.botToken, label: '' },
  ]
  if (isDefault) {
    candidates.push(
      { source: 'tokenFile', file: base.tokenFile, label: 'channels.telegram.tokenFile' },
      { source: 'config', value: base.botToken, label: '' },
      { source: 'env', value: env.TELEGRAM_BOT_TOKEN, label: '' },
    )
  }
  let token: string | undefined
  let tokenSource: TokenSource = 'none'
  let tokenProblem: string | undefined
  for (const candidate of candidates) {
    if (candidate.file !== undefined && candidate.file.trim() !== '') {
      const text = await readText(candidate.file).catch(() => undefined)
      if (text === undefined || text.trim() === '') {
        tokenProblem ??= `${candidate.label} not found: ${candidate.file}`
        continue
      }
      token = text.trim()
      tokenSource = 'tokenFile'
      break
    }
    const value = candidate.value?.trim()
    if (value !== undefined && value !== '') {
      token = value
      tokenSource = candidate.source
      break
    }
  }
  const hasConfigBlock = block !== undefined
  const pluginEnabled = config.plugins?.entries?.telegram?.enabled !== false
  return {
    accountId,
    enabled: pluginEnabled && base.enabled !== false && account?.enabled !== false,
    token,
    tokenSource,
    tokenProblem,
    settings,
    hasConfigBlock,
    // Only TELEGRAM_BOT_TOKEN: no zod default applies, so the channel defaults decide (upstream's trap, kept).
    groupPolicy: hasConfigBlock ? (settings.groupPolicy ?? 'allowlist') : (config.channels?.defaults?.groupPolicy ?? 'open'),
    dmPolicy: settings.dmPolicy ?? 'pairing',
  }
}

/** The shallow merge of the base object and the account's entry (the entry's zod defaults win, as upstream). */
export function telegramSettings(config: Config, accountId: string): TelegramSettings {
  const { accounts, ...base } = config.channels?.telegram ?? { accounts: undefined }
  return { ...base, ...findAccount(accounts, accountId) }
}

/** Upstream's start-time text for an account without a token. */
export function missingTokenText(accountId: string): string {
  return `Telegram bot token missing for account "${accountId}" (set channels.telegram.accounts.${accountId}.botToken/tokenFile or TELEGRAM_BOT_TOKEN for default).`
}

/** Account ids are lower-case `[a-z0-9_-]`, at most 64 characters. */
export function normalizeAccountId(value: string): string {
  const normalized = value.trim().toLowerCase().replace(/[^a-z0-9_-]+/g, '-').slice(0, 64)
  return normalized === '' ? DEFAULT_ACCOUNT_ID : normalized
}

function findAccount(
  accounts: Record<string, TelegramAccountConfig | undefined> | undefined,
  accountId: string,
): TelegramAccountConfig | undefined {
  if (accounts === undefined) return undefined
  for (const [key, value] of Object.entries(accounts)) if (normalizeAccountId(key) === accountId) return value
  return undefined
}
