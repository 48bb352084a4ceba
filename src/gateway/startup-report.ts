import { checkModelChain } from '../agent/model-chain-status.js'
import { getDefaultAgentId } from '../config/config-lookup.js'
import type { ResolvedConfig } from '../config/load-config.js'
import { listDiscordAccountIds, resolveDiscordAccount } from '../discord/resolve-discord-account.js'

/** What start-up says about the config before the first message arrives: lines to log at info and at warn. */
export interface StartupReport {
  info: string[]
  warnings: string[]
}

/**
 * Problems a new user would otherwise only meet in a failing chat: models without a key and a Discord block that is
 * switched on without a token. Each warning names the variable or key to set.
 */
export function buildStartupReport(config: ResolvedConfig, env: Record<string, string | undefined>): StartupReport {
  const info: string[] = []
  const warnings: string[] = []
  const chain = checkModelChain(config, env, getDefaultAgentId(config))
  const [primary, ...fallbacks] = chain.models
  if (primary) info.push(`agent model: ${primary.ref}${fallbacks.length > 0 ? ` (fallbacks: ${fallbacks.map((model) => model.ref).join(', ')})` : ''}`)
  for (const model of chain.models) {
    if (!model.usable) warnings.push(`model ${model.ref} is not usable: ${model.problem}`)
  }
  if (chain.models.length > 0 && !chain.usable) warnings.push('no model in the chain is usable; every chat will fail until one is')
  warnings.push(...discordTokenWarnings(config, env))
  return { info, warnings }
}

/** Accounts explicitly switched on (a `channels.discord` block not disabled) that have no token to start with. */
export function discordTokenWarnings(config: ResolvedConfig, env: Record<string, string | undefined>): string[] {
  if (config.channels?.discord === undefined || env.CLAWDBOT_SKIP_CHANNELS === '1') return []
  return listDiscordAccountIds(config).flatMap((accountId) => {
    const account = resolveDiscordAccount(config, env, accountId)
    if (!account.enabled || account.token !== undefined) return []
    const where = accountId === 'default' ? 'DISCORD_BOT_TOKEN (on Fly: fly secrets set DISCORD_BOT_TOKEN=...) or channels.discord.token' : `channels.discord.accounts.${accountId}.token`
    return [`discord account ${accountId} is enabled but has no bot token, so Discord stays off: set ${where}`]
  })
}
