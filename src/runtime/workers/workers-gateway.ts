import type { Hono } from 'hono'
import { createApp } from '../../app.js'
import { CliError } from '../../cli/cli-error.js'
import { formatConfigInvalid, formatReloadSkipped } from '../../config/format-config-issues.js'
import { loadConfig, type ConfigIo } from '../../config/load-config.js'
import { diffConfigPaths, planReload } from '../../config/reload-plan.js'
import type { AppDeps, BackgroundWork, Scheduler } from '../../deps.js'
import { createDiscordChannel, type DiscordChannel } from '../../discord/discord-channel.js'
import { createTelegramChannel, type TelegramChannel } from '../../telegram/telegram-channel.js'
import { authSecrets, resolveGatewayAuth, type GatewayAuth } from '../../gateway/gateway-auth.js'
import type { GatewayState } from '../../gateway/gateway-state.js'
import { environmentSecrets } from '../../config/env-values.js'
import { formatLogLine } from '../../logging/format-log-line.js'
import { LogRing } from '../../logging/log-ring.js'
import { createLogger } from '../../logging/logger.js'
import { VERSION } from '../../version.js'
import type { Storage } from 'unstorage'
import type { UpgradeWebSocket } from 'hono/ws'
import type { StoredFiles } from './stored-files.js'
import { createStoredWorkspaceFiles } from './stored-workspace-files.js'

/** Where the config lives inside the object; shown by `config.get` and the Control UI's Config tab. */
export const WORKERS_CONFIG_PATH = '/config/clawdbot.json'
const STATE_DIR = '/state'
const HOME_DIR = '/home'

/** What the gateway object hands in: its storage, files, time, sockets and the Worker's string bindings. */
export interface WorkersGatewayInput {
  env: Record<string, string | undefined>
  storage: Storage
  files: StoredFiles
  scheduler: Scheduler
  background: BackgroundWork
  upgradeWebSocket: UpgradeWebSocket
  /** The origin requests arrive on (the public URL of the deployment), once a request has arrived. */
  publicUrl: () => string | undefined
}

/** A running gateway inside the object, or the reason it cannot run (rendered as `config_invalid`). */
export type WorkersGateway =
  | { ok: true; app: Hono; deps: AppDeps; discord: DiscordChannel; telegram: TelegramChannel }
  | { ok: false; message: string }

/**
 * Builds the same deps and `createApp` as the Node runtime, from the object's stored config (seeded by the
 * `CLAWDBOT_CONFIG` var), Worker vars and secrets as the environment, and the object's storage. Config edits made
 * over the control socket are stored in the object and applied in place: there is no listener to restart here.
 */
export async function createWorkersGateway(input: WorkersGatewayInput): Promise<WorkersGateway> {
  const io: ConfigIo = { readText: async (path) => input.files.read(path), env: { ...input.env }, homeDir: HOME_DIR }
  const loaded = await loadConfig(WORKERS_CONFIG_PATH, io)
  if (!loaded.ok) return { ok: false, message: formatConfigInvalid(loaded, WORKERS_CONFIG_PATH) }
  const auth = resolveAuth(loaded.config, input.env)
  if (typeof auth === 'string') return { ok: false, message: auth }

  const ring = new LogRing()
  let state: GatewayState | undefined
  const logger = createLogger({
    now: Date.now,
    ring,
    verbose: input.env.CLAWDBOT_VERBOSE === '1',
    secrets: () => [...environmentSecrets(input.env), ...(state ? authSecrets(state.auth) : [])],
    sink: (record) => console.log(formatLogLine(record, { tty: false })),
  })
  state = {
    phase: 'ready',
    startedAt: Date.now(),
    config: loaded.config,
    configPath: WORKERS_CONFIG_PATH,
    configExists: loaded.exists,
    stateDir: STATE_DIR,
    auth,
    listening: [],
  }
  const liveState = state
  let discord!: DiscordChannel
  let telegram!: TelegramChannel
  let lastRaw = loaded.raw
  const deps: AppDeps = {
    version: VERSION,
    now: Date.now,
    scheduler: input.scheduler,
    logger,
    logRing: ring,
    storage: input.storage,
    state: liveState,
    fetch: globalThis.fetch.bind(globalThis),
    env: input.env,
    readTextFile: async (path) => input.files.read(path),
    background: input.background,
    writeConfigFile: async (path, text) => input.files.write(path, text.endsWith('\n') ? text : `${text}\n`),
    reloadConfig: async () => {
      const result = await loadConfig(WORKERS_CONFIG_PATH, { ...io, env: { ...input.env } })
      if (result.raw === lastRaw) return { ok: true, message: 'no change' }
      lastRaw = result.raw
      const at = Date.now()
      if (!result.ok) {
        const message = formatReloadSkipped(WORKERS_CONFIG_PATH, result.issues)
        liveState.lastReload = { at, ok: false, message }
        return { ok: false, message }
      }
      const paths = diffConfigPaths(liveState.config, result.config)
      const mode = result.config.gateway?.reload?.mode ?? 'hybrid'
      if (paths.length === 0) return { ok: true, message: 'no change' }
      if (mode === 'off') return { ok: true, message: 'saved; not applied because gateway.reload.mode=off' }
      const nextAuth = resolveAuth(result.config, input.env)
      if (typeof nextAuth === 'string') {
        liveState.lastReload = { at, ok: false, message: nextAuth }
        return { ok: false, message: nextAuth }
      }
      liveState.config = result.config
      liveState.configExists = result.exists
      liveState.auth = nextAuth
      liveState.lastReload = { at, ok: true, message: `applied live (${paths.join(', ')})` }
      logger.child('gateway').info(`config reloaded (${paths.join(', ')})`)
      const restarts = planReload(paths, mode).channelRestarts
      if (restarts.includes('discord')) startDiscord()
      if (restarts.includes('telegram')) startTelegram()
      return liveState.lastReload
    },
    upgradeWebSocket: input.upgradeWebSocket,
    publicUrl: input.publicUrl,
    workspaceFiles: createStoredWorkspaceFiles(input.files),
  }
  discord = createDiscordChannel(deps)
  const startDiscord = () =>
    input.background.waitUntil(discord.start().catch((error: unknown) => logger.child('discord').error(`start failed: ${String(error)}`)))
  telegram = createTelegramChannel(deps)
  // setWebhook is idempotent and Telegram keeps updates while we start, so every object start reconciles it.
  const startTelegram = () =>
    input.background.waitUntil(telegram.start().catch((error: unknown) => logger.child('telegram').error(`start failed: ${String(error)}`)))
  const app = createApp(deps, { discord, telegram })
  for (const warning of loaded.warnings) logger.child('gateway').warn(warning)
  // Probing the bot, registering commands and setting the interactions URL run on the object's first start.
  startDiscord()
  startTelegram()
  return { ok: true, app, deps, discord, telegram }
}

// There is no loopback-only Worker: a token or password must come from the config or a secret.
function resolveAuth(config: Parameters<typeof resolveGatewayAuth>[0]['config'], env: Record<string, string | undefined>): GatewayAuth | string {
  try {
    return resolveGatewayAuth({ config, flags: {}, env, loopbackOnly: false, randomToken: () => '' })
  } catch (error) {
    if (!(error instanceof CliError)) throw error
    return `${error.lines.join(' ')} On Workers: \`wrangler secret put CLAWDBOT_GATEWAY_TOKEN\` (or --var CLAWDBOT_GATEWAY_TOKEN:… with workers:dev).`
  }
}
