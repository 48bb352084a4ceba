import type { Config } from '../config/schema.js'

type DiscordConfig = NonNullable<NonNullable<Config['channels']>['discord']>

/** One account's Discord settings: the base object with the account's keys shallow-merged over it. */
export type DiscordAccountConfig = Partial<Omit<DiscordConfig, 'accounts'>>

/** The account id used for the base `channels.discord` object and `DISCORD_BOT_TOKEN`. */
export const DEFAULT_ACCOUNT_ID = 'default'

/** Everything the channel needs to know about one account, resolved from config and env. */
export interface ResolvedDiscordAccount {
  accountId: string
  /** False when `enabled:false` (base or account) or `plugins.entries.discord.enabled:false`. */
  enabled: boolean
  /** Bot token without a leading `Bot `. */
  token?: string
  /** Application public key (hex) from `DISCORD_PUBLIC_KEY[_<ACCOUNT>]`; otherwise fetched at start. */
  publicKey?: string
  /** Application id from `DISCORD_APPLICATION_ID[_<ACCOUNT>]`; otherwise fetched at start. */
  applicationId?: string
  settings: DiscordAccountConfig
  /** Whether a `channels.discord` block exists: it decides the groupPolicy default (spec/discord.md §6.1 step 6). */
  hasConfigBlock: boolean
  groupPolicy: 'open' | 'disabled' | 'allowlist'
}

/** The configured account ids: the keys of `channels.discord.accounts`, or just `default`. */
export function listDiscordAccountIds(config: Config): string[] {
  const ids = Object.keys(config.channels?.discord?.accounts ?? {})
  return ids.length > 0 ? ids : [DEFAULT_ACCOUNT_ID]
}

/**
 * Resolves one Discord account from the config and environment. Config beats env for the token; the public key and
 * application id are env-only so config files stay valid upstream (spec/config-and-runtime.md §1.2, §1.4).
 */
export function resolveDiscordAccount(
  config: Config,
  env: Record<string, string | undefined>,
  accountId: string = DEFAULT_ACCOUNT_ID,
): ResolvedDiscordAccount {
  const block = config.channels?.discord
  const { accounts, ...rest } = block ?? { accounts: undefined }
  const base: DiscordAccountConfig = rest
  const account: DiscordAccountConfig | undefined = accounts?.[accountId]
  const settings: DiscordAccountConfig = { ...base, ...account }
  const isDefault = accountId === DEFAULT_ACCOUNT_ID
  const rawToken = account?.token ?? base.token ?? (isDefault ? env.DISCORD_BOT_TOKEN : undefined)
  const pluginEnabled = config.plugins?.entries?.discord?.enabled !== false
  const hasConfigBlock = block !== undefined
  return {
    accountId,
    enabled: pluginEnabled && base.enabled !== false && account?.enabled !== false,
    token: cleanToken(rawToken),
    publicKey: envFor(env, 'DISCORD_PUBLIC_KEY', accountId),
    applicationId: envFor(env, 'DISCORD_APPLICATION_ID', accountId),
    settings,
    hasConfigBlock,
    // With only DISCORD_BOT_TOKEN there is no zod default to apply, so the channel defaults decide (upstream trap).
    groupPolicy: hasConfigBlock
      ? (settings.groupPolicy ?? 'allowlist')
      : (config.channels?.defaults?.groupPolicy ?? 'open'),
  }
}

function cleanToken(token: string | undefined): string | undefined {
  const trimmed = token?.trim().replace(/^Bot\s+/i, '').trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}

/** An account's env value: `<NAME>_<ACCOUNT>`, or `<NAME>` itself for the default account; blank counts as unset. */
export function envFor(env: Record<string, string | undefined>, name: string, accountId: string): string | undefined {
  const suffix = accountId.toUpperCase().replace(/[^A-Z0-9]+/g, '_')
  const value = env[`${name}_${suffix}`] ?? (accountId === DEFAULT_ACCOUNT_ID ? env[name] : undefined)
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}
