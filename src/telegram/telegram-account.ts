import { z } from 'zod'
import type { AppDeps } from '../deps.js'
import type { Logger } from '../logging/logger.js'
import { telegramStateKey } from '../storage/keys.js'
import { createTelegramApi, DEFAULT_API_BASE, TelegramApiError, type TelegramApi } from './telegram-api.js'
import { buildCommandMenu, commandMenuHash } from './telegram-commands.js'
import { missingTokenText, resolveTelegramAccount, type ResolvedTelegramAccount } from './resolve-telegram-account.js'
import { resolveWebhookSettings, type WebhookSettings } from './webhook-settings.js'
import { fetchWithTimeout } from '../http/fetch-with-timeout.js'

/** Our default for `channels.telegram.timeoutSeconds` when the config sets none. */
const DEFAULT_TIMEOUT_SECONDS = 30

/** The update types we ask Telegram for (spec/telegram.md §4.1): fewer wasted POSTs than grammY's default list. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'message_reaction'] as const

/** The probe shown by `/api/health` and the Control UI: `getMe` + `getWebhookInfo` (spec/telegram.md §6.6). */
export interface TelegramProbe {
  ok: boolean
  status?: number
  error?: string
  elapsedMs: number
  bot?: { id: number; username?: string; canJoinGroups?: boolean; canReadAllGroupMessages?: boolean; supportsInlineQueries?: boolean }
  webhook?: {
    url: string
    hasCustomCert: boolean
    pendingUpdateCount?: number
    lastErrorDate?: number
    lastErrorMessage?: string
    allowedUpdates?: string[]
    urlMatches: boolean
  }
}

/** One account's status card (upstream's snapshot plus our webhook facts). */
export interface TelegramAccountStatus {
  accountId: string
  name?: string
  enabled: boolean
  configured: boolean
  tokenSource: string
  running: boolean
  mode: 'webhook'
  webhookPath: string
  webhookUrl?: string
  lastStartAt?: number
  lastStopAt?: number
  lastError?: string
  lastInboundAt?: number
  lastOutboundAt?: number
  probe?: TelegramProbe
  allowUnmentionedGroups: boolean
}

/** What `getMe` told us about the bot. */
export interface BotIdentity {
  id: number
  username?: string
  hasTopicsEnabled: boolean
}

const MeSchema = z.looseObject({
  id: z.number(),
  username: z.string().optional(),
  can_join_groups: z.boolean().optional(),
  can_read_all_group_messages: z.boolean().optional(),
  supports_inline_queries: z.boolean().optional(),
  has_topics_enabled: z.boolean().optional(),
})
const WebhookInfoSchema = z.looseObject({
  url: z.string(),
  has_custom_certificate: z.boolean().optional(),
  pending_update_count: z.number().optional(),
  last_error_date: z.number().optional(),
  last_error_message: z.string().optional(),
  allowed_updates: z.array(z.string()).optional(),
})
const StateSchema = z.looseObject({ commandsHash: z.string().optional() })
// Upstream's restart policy for network failures (spec/telegram.md §6.5).
const RETRY = { initialMs: 2_000, maxMs: 30_000, factor: 1.8, jitter: 0.25 }
// An invalid token is retried only after a config change, or hourly.
const INVALID_TOKEN_RETRY_MS = 60 * 60_000

interface AccountCache {
  config: unknown
  token: string | undefined
  settings: TelegramAccountSettings
  api?: TelegramApi
}

/** The account's view of its settings: config/env facts plus the webhook route, URL and secret. */
export type TelegramAccountSettings = ResolvedTelegramAccount & { webhook: WebhookSettings }

/**
 * One Telegram account at run time: settings re-resolved when the config changes, the Bot API client, the bot's
 * identity from `getMe`, start-up reconciliation (`getMe` → `setWebhook` → `setMyCommands`) and health facts.
 */
export class TelegramAccount {
  readonly accountId: string
  readonly #deps: AppDeps
  readonly #logger: Logger
  readonly #sleep: (milliseconds: number) => Promise<void>
  readonly #path: () => string
  #cache: AccountCache | undefined
  #identity: BotIdentity | undefined
  #status: { running: boolean; invalidToken: boolean; lastStartAt?: number; lastStopAt?: number; lastError?: string; lastInboundAt?: number; lastOutboundAt?: number; probe?: TelegramProbe } = {
    running: false,
    invalidToken: false,
  }
  #retries = 0
  #probedAt: number | undefined
  #cancelRetry: (() => void) | undefined
  #startedFor: string | undefined

  constructor(deps: AppDeps, accountId: string, options: { sleep: (milliseconds: number) => Promise<void>; path: () => string }) {
    this.accountId = accountId
    this.#deps = deps
    this.#logger = deps.logger.child('telegram')
    this.#sleep = options.sleep
    this.#path = options.path
  }

  /** The account's settings from the live config and env; cached until the config object changes. */
  async settings(): Promise<TelegramAccountSettings> {
    const config = this.#deps.state.config
    if (this.#cache !== undefined && this.#cache.config === config && this.#cache.settings.webhook.path === this.#path()) return this.#cache.settings
    const resolved = await resolveTelegramAccount(config, this.#deps.env, this.accountId, this.#deps.readTextFile)
    const webhook = await resolveWebhookSettings(this.accountId, resolved.settings, this.#path(), resolved.token, this.#deps.env)
    const settings = { ...resolved, webhook }
    const api = this.#cache?.token === resolved.token ? this.#cache?.api : undefined
    this.#cache = { config, token: resolved.token, settings, api }
    return settings
  }

  /** The Bot API client for the current token; throws when the account has none. */
  async api(): Promise<TelegramApi> {
    const settings = await this.settings()
    if (settings.token === undefined) throw new TelegramApiError('send', 0, missingTokenText(this.accountId))
    const cache = this.#cache as AccountCache
    // Every Bot API call has a deadline (`timeoutSeconds`, default 30 s), so a Bot API that never answers cannot hold
    // a delivery or a drain; the fetch is looked up per call since deps may be swapped after the account is built.
    const timeoutMs = (settings.settings.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000
    cache.api ??= createTelegramApi({
      fetch: fetchWithTimeout((input, init) => this.#deps.fetch(input, init), {
        timeoutMs,
        after: (delayMs, callback) => this.#deps.scheduler.after(delayMs, callback),
        subsystem: 'telegram',
        until: 'body',
      }),
      baseUrl: this.#deps.env.TELEGRAM_API_BASE ?? DEFAULT_API_BASE,
      token: settings.token,
      sleep: this.#sleep,
      retry: settings.settings.retry,
    })
    return cache.api
  }

  /** The bot's identity, once `getMe` succeeded. */
  identity(): BotIdentity | undefined {
    return this.#identity
  }

  /** True when `getMe` rejected the token: the route answers 404 until the config changes. */
  tokenRejected(): boolean {
    return this.#status.invalidToken
  }

  recordInbound(at: number): void {
    this.#status.lastInboundAt = at
  }

  recordOutbound(at: number): void {
    this.#status.lastOutboundAt = at
  }

  recordError(message: string): void {
    this.#status.lastError = message
  }

  /**
   * Runs the start sequence unless it already ran for the same token, URL, secret and command set (`force` runs it
   * anyway, e.g. to take the webhook back from another deployment).
   */
  async start(options: { force?: boolean } = {}): Promise<void> {
    const settings = await this.settings()
    const fingerprint = JSON.stringify([settings.token, settings.webhook, settings.settings.commands, settings.settings.customCommands, settings.enabled])
    if (options.force !== true && this.#startedFor === fingerprint && (this.#status.running || this.#status.invalidToken)) return
    this.#cancelRetry?.()
    this.#cancelRetry = undefined
    this.#startedFor = fingerprint
    this.#status.invalidToken = false
    await this.#startOnce(settings)
  }

  stop(): void {
    this.#cancelRetry?.()
    this.#cancelRetry = undefined
    if (this.#status.running) this.#status.lastStopAt = this.#deps.now()
    this.#status.running = false
    this.#startedFor = undefined
  }

  async #startOnce(settings: TelegramAccountSettings): Promise<void> {
    const id = this.accountId
    if (!settings.enabled) return this.#logger.info(`[${id}] disabled by config; not starting`)
    if (settings.tokenProblem !== undefined) this.#logger.warn(settings.tokenProblem)
    if (settings.token === undefined) return
    const problem = settings.webhook.secretProblem ?? settings.webhook.urlProblem
    if (problem !== undefined) {
      this.#fail(problem)
      return
    }
    for (const key of ['webhookPort', 'webhookHost'] as const) {
      if (settings.settings[key] !== undefined) this.#logger.warn(`[${id}] channels.telegram.${key} is ignored: the webhook shares the gateway's port`)
    }
    for (const warning of overriddenDefaults(this.#deps.state.config.channels?.telegram, id)) this.#logger.warn(warning)
    const chunkLimit = settings.settings.textChunkLimit
    if (chunkLimit !== undefined && chunkLimit > 4096) {
      this.#logger.warn(`[${id}] channels.telegram.textChunkLimit ${chunkLimit} is over Telegram's 4096-character limit; using 4096`)
    }
    if (!settings.hasConfigBlock) {
      this.#logger.warn('groupPolicy defaults to "open" when channels.telegram is missing; set channels.telegram.groupPolicy (or channels.defaults.groupPolicy) to restrict groups.')
    }
    const api = await this.api()
    this.#status.lastStartAt = this.#deps.now()
    let me: z.infer<typeof MeSchema>
    try {
      me = MeSchema.parse(await api.call('getMe'))
    } catch (error) {
      if (error instanceof TelegramApiError && (error.errorCode === 401 || error.errorCode === 404)) {
        this.#status.invalidToken = true
        this.#fail(`getMe failed: ${error.description}`)
        this.#scheduleRetry(INVALID_TOKEN_RETRY_MS)
        return
      }
      this.#fail(`getMe failed: ${describe(error)}`)
      this.#scheduleRetry(this.#backoff())
      return
    }
    this.#identity = { id: me.id, username: me.username, hasTopicsEnabled: me.has_topics_enabled === true }
    this.#logger.info(`[${id}] starting provider (@${me.username ?? me.id})`)
    try {
      await api.call('setWebhook', {
        url: settings.webhook.url,
        secret_token: settings.webhook.secret,
        allowed_updates: ALLOWED_UPDATES,
        drop_pending_updates: false,
      })
    } catch (error) {
      this.#fail(`setWebhook failed: ${error instanceof TelegramApiError ? error.description : describe(error)}`)
      if (!(error instanceof TelegramApiError) || error.errorCode === 0 || error.errorCode >= 500) this.#scheduleRetry(this.#backoff())
      return
    }
    this.#status.running = true
    this.#status.lastError = undefined
    this.#retries = 0
    this.#logger.info(`[${id}] webhook listening on ${settings.webhook.url}`)
    await this.#syncCommands(api, settings)
  }

  async #syncCommands(api: TelegramApi, settings: TelegramAccountSettings): Promise<void> {
    const menu = buildCommandMenu(settings.settings, this.#deps.state.config.commands?.native)
    for (const problem of menu.problems) this.#logger.warn(`[${this.accountId}] ${problem}`)
    const hash = await commandMenuHash(menu.commands)
    const key = telegramStateKey(this.accountId)
    const stored = StateSchema.safeParse(await this.#deps.storage.getItem(key).catch(() => undefined))
    if (stored.success && stored.data.commandsHash === hash) return
    try {
      await api.call('setMyCommands', { commands: menu.commands })
      await this.#deps.storage.setItem(key, { ...(stored.success ? stored.data : {}), commandsHash: hash })
    } catch (error) {
      // The menu is a convenience: a failure never blocks the start.
      this.#logger.warn(`telegram setMyCommands failed: ${describe(error)}`)
    }
  }

  /** The last probe when it is younger than `maxAgeMs`, else a fresh one (status pages must stay cheap). */
  async probeIfStale(maxAgeMs: number): Promise<TelegramProbe> {
    const last = this.#status.probe
    if (last !== undefined && this.#probedAt !== undefined && this.#deps.now() - this.#probedAt < maxAgeMs) return last
    return this.probe()
  }

  /** `getMe` + `getWebhookInfo`, compared with the URL we registered. */
  async probe(): Promise<TelegramProbe> {
    const startedAt = this.#deps.now()
    this.#probedAt = startedAt
    const settings = await this.settings()
    try {
      const api = await this.api()
      const me = MeSchema.parse(await api.call('getMe'))
      const info = WebhookInfoSchema.parse(await api.call('getWebhookInfo'))
      const probe: TelegramProbe = {
        ok: true,
        status: 200,
        elapsedMs: this.#deps.now() - startedAt,
        bot: {
          id: me.id,
          username: me.username,
          canJoinGroups: me.can_join_groups,
          canReadAllGroupMessages: me.can_read_all_group_messages,
          supportsInlineQueries: me.supports_inline_queries,
        },
        webhook: {
          url: info.url,
          hasCustomCert: info.has_custom_certificate === true,
          pendingUpdateCount: info.pending_update_count,
          lastErrorDate: info.last_error_date,
          lastErrorMessage: info.last_error_message,
          allowedUpdates: info.allowed_updates,
          urlMatches: settings.webhook.url !== undefined && info.url === settings.webhook.url,
        },
      }
      this.#status.probe = probe
      return probe
    } catch (error) {
      const probe: TelegramProbe = {
        ok: false,
        status: error instanceof TelegramApiError ? error.errorCode : undefined,
        error: error instanceof TelegramApiError ? error.description : describe(error),
        elapsedMs: this.#deps.now() - startedAt,
      }
      this.#status.probe = probe
      return probe
    }
  }

  /** The status card; `settings` must be the current ones (the caller awaits them). */
  status(settings: TelegramAccountSettings): TelegramAccountStatus {
    const groups = settings.settings.groups ?? {}
    return {
      accountId: this.accountId,
      name: settings.settings.name,
      enabled: settings.enabled,
      configured: settings.token !== undefined,
      tokenSource: settings.tokenSource,
      running: this.#status.running,
      mode: 'webhook',
      webhookPath: settings.webhook.path,
      webhookUrl: settings.webhook.url,
      lastStartAt: this.#status.lastStartAt,
      lastStopAt: this.#status.lastStopAt,
      lastError: this.#status.lastError ?? (settings.token === undefined && settings.tokenProblem !== undefined ? settings.tokenProblem : undefined),
      lastInboundAt: this.#status.lastInboundAt,
      lastOutboundAt: this.#status.lastOutboundAt,
      probe: this.#status.probe,
      allowUnmentionedGroups: Object.values(groups).some((group) => group?.requireMention === false),
    }
  }

  #fail(message: string): void {
    this.#status.running = false
    if (this.#status.lastError !== message) this.#logger.error(`[${this.accountId}] ${message}`)
    this.#status.lastError = message
  }

  #backoff(): number {
    const base = Math.min(RETRY.maxMs, RETRY.initialMs * RETRY.factor ** this.#retries)
    this.#retries += 1
    return Math.round(base * (1 + (Math.random() * 2 - 1) * RETRY.jitter))
  }

  #scheduleRetry(delayMs: number): void {
    this.#cancelRetry?.()
    this.#cancelRetry = this.#deps.scheduler.after(delayMs, () => {
      this.#cancelRetry = undefined
      void this.settings().then((settings) => this.#startOnce(settings)).catch((error: unknown) => this.#fail(describe(error)))
    })
  }
}

const ZOD_FILLED = { dmPolicy: 'pairing', groupPolicy: 'allowlist', streamMode: 'partial' } as const

/**
 * Upstream's schema fills `dmPolicy`, `groupPolicy` and `streamMode` into every account entry, so an account silently
 * overrides a base value it never set (kept for compatibility, spec/telegram.md §1.2); say so once per start.
 */
function overriddenDefaults(block: Record<string, unknown> | undefined, accountId: string): string[] {
  const accounts = block?.accounts as Record<string, Record<string, unknown> | undefined> | undefined
  const entry = Object.entries(accounts ?? {}).find(([key]) => key.toLowerCase() === accountId)?.[1]
  if (block === undefined || entry === undefined) return []
  return Object.entries(ZOD_FILLED)
    .filter(([key, filled]) => block[key] !== filled && entry[key] === filled)
    .map(([key, filled]) => `[${accountId}] channels.telegram.${key} "${String(block[key])}" does not apply to this account: its entry gets "${filled}" by default (as upstream); set channels.telegram.accounts.${accountId}.${key} to choose`)
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
