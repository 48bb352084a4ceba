import type { AppDeps } from '../deps.js'
import { DEFAULT_EDIT_INTERVAL_MS } from './deliver-run.js'
import { DiscordAccount, type DiscordAccountStatus } from './discord-account.js'
import { DEFAULT_ACCOUNT_ID, listDiscordAccountIds, resolveDiscordAccount, type DiscordAccountConfig } from './resolve-discord-account.js'
import { scheduleOn, type Schedule } from './schedule.js'
import { createInterruptedReplies, type InterruptedReplies } from './interrupted-replies.js'

/** Discord's part of `/api/health` and `channels.status`: the default account, plus every account when several. */
export interface DiscordStatus extends DiscordAccountStatus {
  accounts?: Record<string, DiscordAccountStatus>
}

/** Knobs tests and runtimes may set; all default to the runtime's scheduler. */
export interface DiscordChannelOptions {
  /** Timer used for streaming-edit throttling, 429 waits and lookup budgets. */
  schedule?: Schedule
  /** Waits before retrying a rate-limited REST call; defaults to a wait on `schedule`. */
  sleep?: (milliseconds: number) => Promise<void>
  /** Minimum gap between streaming edits of one reply. */
  editIntervalMs?: number
}

/** The Discord channel: its accounts, their start-up, and the timing shared by every reply. */
export interface DiscordChannel {
  /** Probes, logs in and registers commands for every enabled account. Call it once the listener is up. */
  start(): Promise<void>
  stop(): void
  status(): DiscordStatus
  /** The account serving `/discord/<accountId>/interactions`; undefined for an unconfigured id. */
  account(accountId: string): DiscordAccount | undefined
  accountIds(): string[]
  readonly schedule: Schedule
  readonly editIntervalMs: number
  /** Replies in flight, kept in storage so the next start can tell their users to retry. */
  readonly replies: InterruptedReplies
}

/**
 * Creates the Discord channel from the live config and env (`DISCORD_BOT_TOKEN`, `DISCORD_PUBLIC_KEY`,
 * `DISCORD_APPLICATION_ID`, `DISCORD_API_BASE_URL`, `DISCORD_SET_INTERACTIONS_URL`, `DISCORD_INTERACTIONS_URL`,
 * `DISCORD_COMMAND_GUILD_IDS`). Nothing touches the network until `start()`.
 */
const RETRY_DELAYS_MS = [10_000, 30_000, 60_000, 300_000]

export function createDiscordChannel(deps: AppDeps, options: DiscordChannelOptions = {}): DiscordChannel {
  const schedule = options.schedule ?? scheduleOn(deps.scheduler)
  const accounts = new Map<string, DiscordAccount>()
  const replies = createInterruptedReplies(deps.storage, deps.now)
  const account = (accountId: string): DiscordAccount | undefined => {
    if (!listDiscordAccountIds(deps.state.config).includes(accountId)) return undefined
    let existing = accounts.get(accountId)
    if (existing === undefined) {
      existing = new DiscordAccount(deps, accountId, { schedule, sleep: options.sleep })
      accounts.set(accountId, existing)
    }
    return existing
  }
  // A start that failed (Discord unreachable at boot) is retried, so a short outage never leaves the bot down.
  let retries = 0
  let cancelRetry: (() => void) | undefined
  const startAll = async (): Promise<void> => {
    cancelRetry?.()
    cancelRetry = undefined
    const ids = listDiscordAccountIds(deps.state.config)
    await Promise.all(
      ids.map((accountId) => {
        const settings = resolveDiscordAccount(deps.state.config, deps.env, accountId).settings
        return account(accountId)?.start({ interactionsUrl: interactionsUrlFor(deps.env, accountId, settings, deps.publicUrl?.()), guildIds: commandGuildIds(deps.env, settings) })
      }),
    )
    await Promise.all(
      ids.map(async (accountId) => {
        const started = account(accountId)
        if (started !== undefined) await replies.recover(accountId, started.rest, deps.logger.child('discord')).catch(() => 0)
      }),
    )
    const failed = ids.filter((accountId) => {
      const status = account(accountId)?.status()
      return status !== undefined && status.configured && !status.running
    })
    if (failed.length === 0) {
      retries = 0
      return
    }
    const delayMs = RETRY_DELAYS_MS[Math.min(retries, RETRY_DELAYS_MS.length - 1)]
    retries += 1
    deps.logger.child('discord').warn(`start of ${failed.join(', ')} failed; retrying in ${Math.round(delayMs / 1000)} s`)
    cancelRetry = schedule(() => void startAll(), delayMs)
  }
  return {
    schedule,
    replies,
    editIntervalMs: options.editIntervalMs ?? DEFAULT_EDIT_INTERVAL_MS,
    account,
    accountIds: () => listDiscordAccountIds(deps.state.config),
    async start() {
      if (deps.env.CLAWDBOT_SKIP_CHANNELS === '1' || deps.env.CLAWDBOT_SKIP_PROVIDERS === '1') return
      retries = 0
      await startAll()
    },
    stop() {
      cancelRetry?.()
      cancelRetry = undefined
      accounts.clear()
    },
    status() {
      const ids = listDiscordAccountIds(deps.state.config)
      const statuses = ids.map((id) => (account(id) as DiscordAccount).status())
      const primary = statuses.find((entry) => entry.accountId === DEFAULT_ACCOUNT_ID) ?? (statuses[0] as DiscordAccountStatus)
      if (statuses.length === 1) return primary
      return { ...primary, accounts: Object.fromEntries(statuses.map((entry) => [entry.accountId, entry])) }
    },
  }
}

/**
 * The public interactions URL to set on the application, only when opted in (`DISCORD_SET_INTERACTIONS_URL=1`):
 * `DISCORD_INTERACTIONS_URL[_<ACCOUNT>]`, else derived from the runtime's public URL.
 */
function interactionsUrlFor(
  env: Record<string, string | undefined>,
  accountId: string,
  settings: DiscordAccountConfig,
  publicUrl: string | undefined,
): string | undefined {
  const optedIn = settings.setInteractionsUrl === true || env.DISCORD_SET_INTERACTIONS_URL === '1' || env.DISCORD_SET_INTERACTIONS_URL === 'true'
  if (!optedIn) return undefined
  const suffix = accountId.toUpperCase().replace(/[^A-Z0-9]+/g, '_')
  const explicit = settings.interactionsUrl ?? env[`DISCORD_INTERACTIONS_URL_${suffix}`] ?? (accountId === DEFAULT_ACCOUNT_ID ? env.DISCORD_INTERACTIONS_URL : undefined)
  if (explicit !== undefined && explicit.trim() !== '') return explicit.trim()
  if (publicUrl === undefined || publicUrl === '') return undefined
  const path = accountId === DEFAULT_ACCOUNT_ID ? '/discord/interactions' : `/discord/${encodeURIComponent(accountId)}/interactions`
  return `${publicUrl.replace(/\/+$/, '')}${path}`
}

/** Guilds to register commands in instead of globally: the configured guild ids when asked to, else the env list. */
function commandGuildIds(env: Record<string, string | undefined>, settings: DiscordAccountConfig): string[] {
  if (settings.registerCommandsPerGuild === true) return Object.keys(settings.guilds ?? {}).filter((key) => /^\d{17,20}$/.test(key))
  return (env.DISCORD_COMMAND_GUILD_IDS ?? '').split(',').map((id) => id.trim()).filter((id) => id !== '')
}
