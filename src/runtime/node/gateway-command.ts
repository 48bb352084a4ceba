import { mkdirSync, rmSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import type { GatewayCliOptions } from '../../cli/parse-cli-args.js'
import { CliError } from '../../cli/cli-error.js'
import { loadConfig, type LoadConfigResult } from '../../config/load-config.js'
import { DEFAULT_CONFIG_FILE_NAME } from '../../config/config-paths.js'
import { formatConfigInvalid } from '../../config/format-config-issues.js'
import { createApp, createAppMcp } from '../../app.js'
import type { AppDeps } from '../../deps.js'
import { createDiscordChannel } from '../../discord/discord-channel.js'
import { createTelegramChannel } from '../../telegram/telegram-channel.js'
import type { GatewayState } from '../../gateway/gateway-state.js'
import { authSecrets } from '../../gateway/gateway-auth.js'
import { buildStartupReport } from '../../gateway/startup-report.js'
import { VERSION } from '../../version.js'
import { acquireGatewayLock, GatewayLockError, removeLegacyStateDirLocks } from './gateway-lock.js'
import { createNodeStorage } from './node-storage.js'
import { createNodeScheduler } from './node-scheduler.js'
import { createNodeConfigIo, displayPath, findConfigPath, resolveNodePaths } from './node-config-io.js'
import { createNodeLogger, environmentSecrets } from './node-logger.js'
import { resolveGatewayPort, resolveGatewaySettings } from './gateway-settings.js'
import { GatewayServer } from './gateway-server.js'
import { allowLargeNodeFrames, nodeClientAddress, PortInUseError } from './start-listeners.js'
import { describePortInUse } from './describe-port-in-use.js'
import { upgradeWebSocket } from '@hono/node-server'
import { createConfigReloader } from './config-reloader.js'
import { watchConfigFile } from './watch-config-file.js'
import { installShutdown } from './install-shutdown.js'
import { freePort } from './free-port.js'
import { writeConfigWithBackups } from './write-config-with-backups.js'
import { flyPublicUrl } from './fly-public-url.js'
import { createNodeNetworkAccess } from './node-network-access.js'
import { createNodeWorkspaceFiles } from './node-workspace-files.js'
import { removeStaleTempFiles } from './remove-stale-temp-files.js'

const CONFIG_NAMES = ['moltbot.json', 'clawdbot.json']

/**
 * `gateway` / `gateway run`: the start-up order of upstream (config guard, port, mode gate, auth, lock, listen),
 * then hot reload and signal handling. Resolves once the gateway listens; the process lives on its listeners.
 */
export async function runGatewayCommand(options: GatewayCliOptions): Promise<void> {
  if (options.dev) process.env.CLAWDBOT_PROFILE = 'dev'
  else if (options.profile) process.env.CLAWDBOT_PROFILE = options.profile
  if (options.token) process.env.CLAWDBOT_GATEWAY_TOKEN = options.token

  const paths = resolveNodePaths()
  if (options.dev && options.reset && basename(paths.stateDir).startsWith('.clawdbot-dev')) {
    rmSync(paths.stateDir, { recursive: true, force: true })
  }
  const io = createNodeConfigIo()
  const loaded = await loadConfig(paths.configPath, io)
  if (!loaded.ok) throw new CliError(formatConfigInvalid(loaded, displayPath(paths.configPath)).split('\n'))
  const startEnv = { ...process.env }

  let state: GatewayState | undefined
  const { logger: root, ring } = createNodeLogger({
    verbose: options.verbose,
    secrets: () => [...environmentSecrets(process.env), ...(state ? authSecrets(state.auth) : [])],
  })
  const logger = root.child('gateway')
  const seenWarnings = new Set<string>()
  const reportWarnings = (result: Extract<LoadConfigResult, { ok: true }>) => {
    for (const warning of result.warnings) {
      if (seenWarnings.has(warning)) continue
      seenWarnings.add(warning)
      logger.warn(warning)
    }
  }
  reportWarnings(loaded)

  // --force runs before auth is resolved (as upstream), so only the port is worked out here.
  if (options.force) await freePort(resolveGatewayPort(options, loaded.config, startEnv), logger)

  if (!options.allowUnconfigured) {
    if (!loaded.exists) {
      throw new CliError([
        `Missing config: no ${DEFAULT_CONFIG_FILE_NAME} in ${displayPath(paths.stateDir)}.`,
        `Create ${displayPath(paths.configPath)} with { gateway: { mode: "local" } } (see the README), or pass --allow-unconfigured to run on built-in defaults.`,
      ])
    }
    const mode = loaded.config.gateway?.mode
    if (mode !== 'local') {
      throw new CliError(`Gateway start blocked: set gateway.mode=local (current: ${mode ?? 'unset'}) or pass --allow-unconfigured.`)
    }
  }
  const settings = resolveGatewaySettings(options, loaded.config, startEnv)

  mkdirSync(paths.stateDir, { recursive: true, mode: 0o700 })
  removeLegacyStateDirLocks(paths.stateDir, logger)
  let lock: Awaited<ReturnType<typeof acquireGatewayLock>>
  try {
    lock = await acquireGatewayLock({ stateDir: paths.stateDir, logger })
  } catch (error) {
    if (!(error instanceof GatewayLockError)) throw error
    throw new CliError([
      `Gateway failed to start: ${error.message}`,
      `Another gateway uses the state dir ${displayPath(paths.stateDir)}. Stop it first${error.ownerPid === undefined ? '' : ` (kill ${error.ownerPid})`}, use another state dir (CLAWDBOT_STATE_DIR), or set CLAWDBOT_ALLOW_MULTI_GATEWAY=1 to run both on purpose.`,
    ])
  }
  process.on('exit', () => lock?.release())
  await removeStaleTempFiles([paths.stateDir, dirname(paths.configPath)], logger)

  state = {
    phase: 'starting',
    startedAt: Date.now(),
    config: loaded.config,
    configPath: paths.configPath,
    configExists: loaded.exists,
    stateDir: paths.stateDir,
    auth: settings.auth,
    listening: [],
  }
  const server = new GatewayServer(state, logger)
  let reloader!: ReturnType<typeof createConfigReloader>
  const deps: AppDeps = {
    version: VERSION,
    now: Date.now,
    scheduler: createNodeScheduler(),
    logger: root,
    logRing: ring,
    storage: createNodeStorage(paths.stateDir),
    state,
    fetch: globalThis.fetch.bind(globalThis),
    env: process.env,
    readTextFile: io.readText,
    realPath: io.realPath,
    background: server.background,
    writeConfigFile: writeConfigWithBackups,
    reloadConfig: () => reloader.reload(),
    upgradeWebSocket,
    publicUrl: () => flyPublicUrl(process.env),
    workspaceFiles: createNodeWorkspaceFiles(),
    network: createNodeNetworkAccess(),
  }
  const discord = createDiscordChannel(deps)
  const telegram = createTelegramChannel(deps)
  const mcp = createAppMcp(deps)
  let stopAutomation: (() => void) | undefined
  const app = createApp(deps, { discord, telegram, mcp, control: { clientAddress: nodeClientAddress, allowLargeFrames: allowLargeNodeFrames }, onAutomation: (automation) => (stopAutomation = () => automation.stop()) })
  server.setApp(app)

  // Declared before the app so deps can call it; assigned right below, before any request can arrive.
  reloader = createConfigReloader({
    options,
    startEnv,
    state,
    server,
    logger,
    io,
    settings,
    initialRaw: loaded.raw,
    onChannelRestart: (channels) => {
      if (channels.includes('discord')) void discord.start().catch((error: unknown) => logger.child('discord').error(`restart failed: ${String(error)}`))
      if (channels.includes('telegram')) void telegram.start().catch((error: unknown) => logger.child('telegram').error(`restart failed: ${String(error)}`))
    },
    reportWarnings,
    resolvePath: () => (paths.configExplicit ? paths.configPath : findConfigPath(paths.stateDir)),
  })
  // Watch and handle signals before listening: an edit or a stop that comes right after the listening line is
  // never missed.
  const watcher = watchConfigFile({
    dir: paths.configExplicit ? dirname(paths.configPath) : paths.stateDir,
    names: paths.configExplicit ? [basename(paths.configPath)] : CONFIG_NAMES,
    debounceMs: () => state?.config.gateway?.reload?.debounceMs ?? 300,
    onChange: () => void reloader.reload(),
    logger,
  })
  installShutdown({ state, server, logger, watcher, lock, reload: () => reloader.reload().then(() => undefined), onStop: () => {
      discord.stop()
      telegram.stop()
      // No new cron or heartbeat runs while draining; runs already going finish as background work.
      stopAutomation?.()
      // Part of the drain: each MCP session is ended with DELETE before the process exits.
      server.background.waitUntil(mcp.stop())
    },
  })

  const report = buildStartupReport(loaded.config, process.env)
  for (const line of report.info) logger.info(line)
  for (const line of report.warnings) logger.warn(line)
  logger.info(`state dir: ${paths.stateDir}${loaded.exists ? `; config: ${paths.configPath}` : ' (no config file; using built-in defaults)'}`)
  let actualPort: number
  try {
    actualPort = await server.listen(settings.bind, settings.port)
  } catch (error) {
    watcher.close()
    // Its timers would keep a gateway that could not listen from exiting.
    stopAutomation?.()
    lock?.release()
    if (error instanceof PortInUseError) throw new CliError(await describePortInUse(error.host, error.port))
    throw error
  }
  process.env.CLAWDBOT_GATEWAY_PORT = String(actualPort)
  if (settings.auth.mode === 'token' && settings.auth.generated) {
    // Printed around the logger on purpose: the logger masks secrets, and this one line must show the token.
    process.stdout.write(
      `${new Date().toISOString()} [gateway] no gateway token configured; generated one for this run.\n` +
        `${new Date().toISOString()} [gateway] Control UI: http://127.0.0.1:${actualPort}/?token=${settings.auth.token}\n`,
    )
  }
  // A signal during start-up has already moved the phase to stopping; keep it there.
  if (state.phase === 'starting') state.phase = 'ready'
  void reloader.start()
  // After listening: setting the interactions URL makes Discord ping us at once. Failures land in the status.
  void discord.start().catch((error: unknown) => logger.child('discord').error(`start failed: ${String(error)}`))
  // Telegram's setWebhook makes it deliver to us at once, so it also waits for the listener.
  void telegram.start().catch((error: unknown) => logger.child('telegram').error(`start failed: ${String(error)}`))
  void mcp.start()
}
