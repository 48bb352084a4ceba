import type { GatewayCliOptions } from '../../cli/parse-cli-args.js'
import { CliError } from '../../cli/cli-error.js'
import { loadConfig, type ConfigIo, type LoadConfigResult } from '../../config/load-config.js'
import { formatReloadSkipped } from '../../config/format-config-issues.js'
import { diffConfigPaths, planReload } from '../../config/reload-plan.js'
import type { GatewayState } from '../../gateway/gateway-state.js'
import type { Logger } from '../../logging/logger.js'
import type { GatewayServer } from './gateway-server.js'
import { resolveGatewaySettings, type GatewaySettings } from './gateway-settings.js'
import { displayPath } from './node-config-io.js'

const UNCHANGED: ReloadOutcome = { ok: true, message: 'no change' }

export interface ConfigReloaderContext {
  options: GatewayCliOptions
  /** The environment as it was before start-up wrote the actual port back into it. */
  startEnv: Record<string, string | undefined>
  state: GatewayState
  server: GatewayServer
  logger: Logger
  io: ConfigIo
  /** Resolves the config path again, so a `clawdbot.json` created after an unconfigured start is found. */
  resolvePath: () => string
  settings: GatewaySettings
  /** The config text the gateway started with, so the first watcher event for unchanged content does nothing. */
  initialRaw: string | undefined
  /** Called after a change under `channels.<id>` was applied, with the channel ids to restart. */
  onChannelRestart?: (channels: string[]) => void
  /** Logs the load warnings not seen before (unsupported sections, legacy keys). */
  reportWarnings: (result: Extract<LoadConfigResult, { ok: true }>) => void
}

/**
 * Applies config edits without a process restart: invalid edits are refused with the old config kept; gateway
 * changes (port, bind, auth) re-listen in-process; everything else swaps in place for the next request or run.
 */
/** What one reload did; `config.set`/`config.apply` report it to the client. */
export interface ReloadOutcome {
  ok: boolean
  message: string
}

export function createConfigReloader(context: ConfigReloaderContext): { reload(): Promise<ReloadOutcome>; start(): Promise<ReloadOutcome> } {
  const logger = context.logger
  // Events that arrive while the listener is still coming up wait here, so a reload never races the first listen.
  let open!: () => void
  let queue: Promise<ReloadOutcome> = new Promise<void>((resolve) => (open = resolve)).then(() => UNCHANGED)
  let settings = context.settings
  let lastRaw = context.initialRaw

  const reloadOnce = async (): Promise<ReloadOutcome> => {
    if (context.state.phase === 'stopping') return { ok: false, message: 'the gateway is shutting down' }
    const path = context.resolvePath()
    const result = await loadConfig(path, context.io)
    if (result.raw === lastRaw && path === context.state.configPath) return UNCHANGED
    lastRaw = result.raw
    const now = Date.now()
    if (!result.ok) {
      const message = formatReloadSkipped(displayPath(path), result.issues)
      logger.warn(message)
      context.state.lastReload = { at: now, ok: false, message }
      return { ok: false, message }
    }
    const paths = diffConfigPaths(context.state.config, result.config)
    context.state.configPath = path
    context.state.configExists = result.exists
    if (paths.length === 0) return UNCHANGED
    logger.info(`config change detected; evaluating reload (${paths.join(', ')})`)
    const mode = result.config.gateway?.reload?.mode ?? 'hybrid'
    if (mode === 'off') {
      logger.info('config reload disabled (gateway.reload.mode=off)')
      return { ok: true, message: 'saved; not applied because gateway.reload.mode=off (restart to apply)' }
    }
    context.reportWarnings(result)
    const plan = planReload(paths, mode)
    if (plan.kind === 'restart') {
      let next: GatewaySettings
      try {
        next = resolveGatewaySettings(context.options, result.config, context.startEnv, context.state.auth)
      } catch (error) {
        if (!(error instanceof CliError)) throw error
        const message = `config change not applied; the running settings stay: ${error.lines.join(' ')}`
        logger.error(message)
        context.state.lastReload = { at: now, ok: false, message }
        return { ok: false, message }
      }
      const relisten = next.port !== settings.port || next.bind.mode !== settings.bind.mode ||
        JSON.stringify(next.bind.addresses) !== JSON.stringify(settings.bind.addresses)
      const previous = { config: context.state.config, auth: context.state.auth }
      context.state.config = result.config
      context.state.auth = next.auth
      if (relisten) {
        logger.info(`restarting the listener in-process (${plan.restartPaths.join(', ')})`)
        try {
          await context.server.restart(next.bind, next.port)
        } catch (error) {
          const message = `config change not applied; could not listen with the new settings: ${(error as Error).message}`
          logger.error(message)
          context.state.config = previous.config
          context.state.auth = previous.auth
          context.state.lastReload = { at: now, ok: false, message }
          await context.server.restart(settings.bind, settings.port)
          return { ok: false, message }
        }
      }
      settings = next
      context.state.lastReload = { at: now, ok: true, message: `applied (${paths.join(', ')})` }
      logger.info(`config reloaded (${paths.join(', ')})`)
      if (plan.channelRestarts.length > 0) context.onChannelRestart?.(plan.channelRestarts)
      return context.state.lastReload
    }
    if (mode === 'hot' && plan.restartPaths.length > 0) {
      logger.warn(`config change needs a restart and gateway.reload.mode=hot ignores it: ${plan.restartPaths.join(', ')}`)
    }
    context.state.config = result.config
    context.state.lastReload = { at: now, ok: true, message: `applied live (${paths.join(', ')})` }
    logger.info(`config reloaded (${paths.join(', ')})`)
    if (plan.channelRestarts.length > 0) context.onChannelRestart?.(plan.channelRestarts)
    return context.state.lastReload
  }

  const reloader = {
    /** Opens the gate once listening, and checks once for an edit made between the first read and the watch. */
    start() {
      open()
      return reloader.reload()
    },
    reload() {
      // Reloads run one at a time so two quick saves never race each other into the listener.
      queue = queue.then(reloadOnce).catch((error: unknown) => {
        const message = `config reload failed: ${error instanceof Error ? error.message : String(error)}`
        logger.error(message)
        return { ok: false, message }
      })
      return queue
    },
  }
  return reloader
}
