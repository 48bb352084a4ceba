import { describeStartError } from './describe-start-error.js'
import { z } from 'zod'
import type { AppDeps } from '../deps.js'
import type { Logger } from '../logging/logger.js'
import { defineCommands } from './commands.js'
import { DEFAULT_API_BASE_URL } from './discord-api.js'
import { createDiscordRest, type DiscordRest } from './discord-rest.js'
import { NameCache } from './name-cache.js'
import { registerCommands } from './register-commands.js'
import { DEFAULT_ACCOUNT_ID, resolveDiscordAccount, type ResolvedDiscordAccount } from './resolve-discord-account.js'
import { sleepWith, type Schedule } from './schedule.js'

/** The REST probe result shown by `/api/health` (spec/config-and-runtime.md §8). */
export interface DiscordProbe {
  ok: boolean
  bot?: { id: string; username: string }
  application?: { id: string }
  elapsedMs: number
  error?: string
}

/** One account's health facts. */
export interface DiscordAccountStatus {
  accountId: string
  configured: boolean
  running: boolean
  publicKeyPresent: boolean
  commandsRegistered: number
  lastInteractionAt?: number
  lastError?: string
  probe?: DiscordProbe
  lastProbeAt?: number
}

const UserSchema = z.looseObject({ id: z.string(), username: z.string() })
const ApplicationSchema = z.looseObject({ id: z.string(), verify_key: z.string().optional(), name: z.string().optional() })
const GROUP_POLICY_WARNING =
  'groupPolicy defaults to "open" when channels.discord is missing; set channels.discord.groupPolicy (or channels.defaults.groupPolicy) or add channels.discord.guilds to restrict access.'

/**
 * One Discord account at run time: its settings (re-read from the live config on every call, so hot reload
 * applies), REST client, name cache, learnt identity (public key, application id, bot name) and health facts.
 */
export class DiscordAccount {
  readonly accountId: string
  readonly rest: DiscordRest
  readonly names: NameCache
  readonly #deps: AppDeps
  readonly #logger: Logger
  #learnt: { publicKey?: string; applicationId?: string; botName?: string; botUserId?: string } = {}
  #status: Omit<DiscordAccountStatus, 'accountId' | 'configured' | 'publicKeyPresent'> = { running: false, commandsRegistered: 0 }

  constructor(deps: AppDeps, accountId: string, timing: { schedule: Schedule; sleep?: (milliseconds: number) => Promise<void> }) {
    this.accountId = accountId
    this.#deps = deps
    this.#logger = deps.logger.child('discord')
    const resolved = this.settings()
    this.rest = createDiscordRest({
      fetch: deps.fetch,
      baseUrl: deps.env.DISCORD_API_BASE_URL ?? DEFAULT_API_BASE_URL,
      token: resolved.token,
      sleep: timing.sleep ?? sleepWith(timing.schedule),
      retry: resolved.settings.retry,
      after: (delayMs, callback) => deps.scheduler.after(delayMs, callback),
    })
    this.names = new NameCache({ rest: this.rest, now: deps.now, schedule: timing.schedule })
  }

  /** The account's settings from the current config and env. */
  settings(): ResolvedDiscordAccount {
    return resolveDiscordAccount(this.#deps.state.config, this.#deps.env, this.accountId)
  }

  /** The key that verifies interaction signatures: env override, else the application's `verify_key`. */
  publicKey(): string | undefined {
    return this.settings().publicKey ?? this.#learnt.publicKey
  }

  applicationId(): string | undefined {
    return this.settings().applicationId ?? this.#learnt.applicationId
  }

  botName(): string | undefined {
    return this.#learnt.botName
  }

  /** Records an accepted interaction for the health report. */
  recordInteraction(at: number): void {
    this.#status.lastInteractionAt = at
  }

  /** Records a failure for the health report (messages never contain tokens). */
  recordError(message: string): void {
    this.#status.lastError = message
  }

  status(): DiscordAccountStatus {
    const resolved = this.settings()
    return {
      accountId: this.accountId,
      configured: resolved.enabled && (resolved.token !== undefined || resolved.publicKey !== undefined),
      publicKeyPresent: this.publicKey() !== undefined,
      ...this.#status,
    }
  }

  /**
   * Probes the bot and application over REST, logs upstream's start lines, registers the commands (hash-skipped)
   * and optionally points the application's Interactions Endpoint URL at us. Failures are recorded, not thrown.
   */
  async start(options: { interactionsUrl?: string; guildIds?: string[] }): Promise<void> {
    const resolved = this.settings()
    if (!resolved.enabled) return this.#logger.info(`[${this.accountId}] disabled by config; not starting`)
    if (resolved.token === undefined) {
      if (resolved.publicKey !== undefined) this.#status.running = true
      return
    }
    if (this.accountId === DEFAULT_ACCOUNT_ID && !resolved.hasConfigBlock) this.#logger.warn(GROUP_POLICY_WARNING)
    try {
      const probe = await this.probe()
      if (!probe.ok || probe.bot === undefined || probe.application === undefined) throw new Error(probe.error ?? 'probe failed')
      this.#status.running = true
      this.#logger.info(`logged in to discord as ${probe.bot.id}`)
      const config = this.#deps.state.config
      const nativeSetting = resolved.settings.commands?.native ?? config.commands?.native ?? 'auto'
      const commands = defineCommands({ botName: this.#learnt.botName, native: nativeSetting !== false })
      const registered = await registerCommands({
        rest: this.rest,
        storage: this.#deps.storage,
        logger: this.#logger,
        accountId: this.accountId,
        applicationId: probe.application.id,
        commands,
        guildIds: options.guildIds,
        now: this.#deps.now(),
      })
      this.#status.commandsRegistered = registered.count
      if (options.interactionsUrl !== undefined) {
        await this.rest.request('PATCH', '/applications/@me', { body: { interactions_endpoint_url: options.interactionsUrl } })
        this.#logger.info(`[${this.accountId}] interactions endpoint set to ${options.interactionsUrl}`)
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      this.recordError(message)
      this.#logger.error(`[${this.accountId}] failed to start: ${message}`)
    }
  }

  /** `GET /users/@me` and `GET /oauth2/applications/@me`; fills in the bot name, application id and public key. */
  async probe(): Promise<DiscordProbe> {
    const startedAt = this.#deps.now()
    try {
      const user = UserSchema.parse(await this.rest.request('GET', '/users/@me'))
      this.#learnt.botName = user.username
      this.#learnt.botUserId = user.id
      if (!this.#status.running) this.#logger.info(`[${this.accountId}] starting provider (@${user.username})`)
      const application = ApplicationSchema.parse(await this.rest.request('GET', '/oauth2/applications/@me'))
      this.#learnt.applicationId = application.id
      this.#learnt.publicKey = application.verify_key
      const probe = { ok: true, bot: { id: user.id, username: user.username }, application: { id: application.id }, elapsedMs: this.#deps.now() - startedAt }
      return this.#remember(probe)
    } catch (error) {
      const message = describeStartError(error, this.#deps.env.DISCORD_API_BASE_URL ?? DEFAULT_API_BASE_URL)
      return this.#remember({ ok: false, elapsedMs: this.#deps.now() - startedAt, error: message })
    }
  }

  #remember(probe: DiscordProbe): DiscordProbe {
    this.#status.probe = probe
    this.#status.lastProbeAt = this.#deps.now()
    return probe
  }
}
