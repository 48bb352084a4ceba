import type { AppDeps } from '../deps.js'
import { telegramRecentUpdatesKey } from '../storage/keys.js'
import { TelegramAccount, type TelegramAccountStatus } from './telegram-account.js'
import { DEFAULT_ACCOUNT_ID, listTelegramAccountIds, telegramSettings } from './resolve-telegram-account.js'
import { UpdateDedupe } from './update-dedupe.js'
import { webhookPaths } from './webhook-settings.js'

/** Telegram's part of `/api/health` and `channels.status`: the default account, plus every account when several. */
export interface TelegramStatus extends TelegramAccountStatus {
  accounts?: Record<string, TelegramAccountStatus>
}

/** How old a probe `/api/health` and the Control UI may show. */
export const PROBE_MAX_AGE_MS = 30_000

/** Knobs tests and benchmarks may set; all default to real time. */
export interface TelegramChannelOptions {
  /** Waits before retrying a rate-limited or failed Bot API call; defaults to a wait on `deps.scheduler`. */
  sleep?: (milliseconds: number) => Promise<void>
  /** How long a long paste waits for its next part (upstream: 1500 ms). */
  fragmentWindowMs?: number
  /** How long an album waits for more parts (upstream: 500 ms). */
  albumQuietMs?: number
  /** Minimum gap between draft updates (upstream: 300 ms). */
  draftIntervalMs?: number
  /** How often the typing indicator is refreshed (upstream: 6 s). */
  typingIntervalMs?: number
}

/** The Telegram channel: its accounts, their webhook routes, start-up and the timing shared by every reply. */
export interface TelegramChannel {
  /**
   * Reconciles every enabled account with Telegram (`getMe`, `setWebhook`, commands). Call once listening; `force`
   * reconciles even when nothing changed since the last start.
   */
  start(options?: { force?: boolean }): Promise<void>
  stop(): void
  accountIds(): string[]
  account(accountId: string): TelegramAccount | undefined
  /** The account whose webhook route is `path`, if any. */
  accountForPath(path: string): string | undefined
  dedupe(accountId: string): UpdateDedupe
  /**
   * Every account's card with a probe of Telegram (`getMe` + `getWebhookInfo`): fresh when `probe` is set, else at
   * most `PROBE_MAX_AGE_MS` old, so the webhook URL check and pending updates stay current without a call per view.
   */
  status(options?: { probe?: boolean }): Promise<TelegramStatus | undefined>
  readonly sleep: (milliseconds: number) => Promise<void>
  readonly timing: { fragmentWindowMs: number; albumQuietMs: number; draftIntervalMs: number; typingIntervalMs: number }
}

/**
 * Creates the Telegram channel from the live config and env (`TELEGRAM_BOT_TOKEN`, `TELEGRAM_API_BASE`,
 * `CLAWDBOT_PUBLIC_URL`, `FLY_APP_NAME`). Nothing touches the network until `start()`.
 */
export function createTelegramChannel(deps: AppDeps, options: TelegramChannelOptions = {}): TelegramChannel {
  const sleep = options.sleep ?? ((milliseconds: number) => new Promise<void>((resolve) => void deps.scheduler.after(milliseconds, resolve)))
  const accounts = new Map<string, TelegramAccount>()
  const dedupes = new Map<string, UpdateDedupe>()
  let pathCache: { config: unknown; paths: Map<string, string> } | undefined
  const paths = (): Map<string, string> => {
    const config = deps.state.config
    if (pathCache?.config === config) return pathCache.paths
    const ids = listTelegramAccountIds(config, deps.env)
    const computed = webhookPaths(ids.map((accountId) => ({ accountId, settings: telegramSettings(config, accountId) })))
    pathCache = { config, paths: computed }
    return computed
  }
  const account = (accountId: string): TelegramAccount | undefined => {
    if (!paths().has(accountId)) return undefined
    let existing = accounts.get(accountId)
    if (existing === undefined) {
      existing = new TelegramAccount(deps, accountId, { sleep, path: () => paths().get(accountId) as string })
      accounts.set(accountId, existing)
    }
    return existing
  }
  return {
    sleep,
    timing: {
      fragmentWindowMs: options.fragmentWindowMs ?? 1_500,
      albumQuietMs: options.albumQuietMs ?? 500,
      draftIntervalMs: options.draftIntervalMs ?? 300,
      typingIntervalMs: options.typingIntervalMs ?? 6_000,
    },
    account,
    accountIds: () => [...paths().keys()],
    accountForPath(path) {
      for (const [accountId, accountPath] of paths()) if (accountPath === path) return accountId
      return undefined
    },
    dedupe(accountId) {
      let dedupe = dedupes.get(accountId)
      if (dedupe === undefined) {
        dedupe = new UpdateDedupe(deps.storage, telegramRecentUpdatesKey(accountId), deps.now)
        dedupes.set(accountId, dedupe)
      }
      return dedupe
    },
    async start(startOptions = {}) {
      if (deps.env.CLAWDBOT_SKIP_CHANNELS === '1' || deps.env.CLAWDBOT_SKIP_PROVIDERS === '1') return
      const ids = [...paths().keys()]
      const shared = ids.filter((id) => id !== DEFAULT_ACCOUNT_ID && paths().get(id)?.endsWith(`/${encodeURIComponent(id)}`))
      for (const id of shared) deps.logger.child('telegram').info(`[${id}] webhook path shared with another account; using ${paths().get(id)}`)
      await Promise.all(ids.map((id) => account(id)?.start(startOptions)))
    },
    stop() {
      for (const entry of accounts.values()) entry.stop()
    },
    async status(statusOptions = {}) {
      const ids = [...paths().keys()]
      if (ids.length === 0) return undefined
      const statuses = await Promise.all(
        ids.map(async (id) => {
          const entry = account(id) as TelegramAccount
          const settings = await entry.settings()
          if (settings.token !== undefined && settings.enabled && !entry.tokenRejected()) {
            await (statusOptions.probe === true ? entry.probe() : entry.probeIfStale(PROBE_MAX_AGE_MS))
          }
          return entry.status(settings)
        }),
      )
      const primary = statuses.find((entry) => entry.accountId === DEFAULT_ACCOUNT_ID) ?? (statuses[0] as TelegramAccountStatus)
      if (statuses.length === 1) return primary
      return { ...primary, accounts: Object.fromEntries(statuses.map((entry) => [entry.accountId, entry])) }
    },
  }
}
