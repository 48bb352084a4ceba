import type { GatewayState } from '../../gateway/gateway-state.js'
import type { Logger } from '../../logging/logger.js'
import type { GatewayServer } from './gateway-server.js'
import type { GatewayLock } from './gateway-lock.js'
import type { ConfigFileWatcher } from './watch-config-file.js'

const DEFAULT_GRACE_MS = 25_000

/**
 * Signal handling. SIGTERM and SIGINT (Fly's default kill signal) stop accepting, let open requests and background
 * work finish within the grace period, release the lock and exit 0; a watchdog exits anyway if draining hangs,
 * and a second signal exits at once. Stray promise rejections are logged, never fatal.
 */
export function installShutdown(context: {
  state: GatewayState
  server: GatewayServer
  logger: Logger
  watcher: ConfigFileWatcher
  lock: GatewayLock | undefined
  reload: () => Promise<void>
  /** Channel teardown before draining (timers, caches). */
  onStop?: () => void
}): void {
  const { state, server, logger, lock } = context
  const graceMs = graceFromEnv(process.env.CLAWDBOT_SHUTDOWN_GRACE_MS)
  let stopping = false

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`received ${signal} again; exiting now`)
      lock?.release()
      process.exit(0)
    }
    stopping = true
    logger.info(`received ${signal}; shutting down`)
    state.phase = 'stopping'
    context.watcher.close()
    context.onStop?.()
    const watchdog = setTimeout(() => {
      logger.warn('shutdown timed out; exiting without full cleanup')
      lock?.release()
      process.exit(0)
    }, graceMs)
    try {
      await server.drain()
    } catch (error) {
      logger.error(`error while draining: ${String(error)}`)
    }
    clearTimeout(watchdog)
    lock?.release()
    logger.info('gateway stopped')
    process.exit(0)
  }

  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGUSR1', () => {
    if (state.config.commands?.restart !== true) {
      logger.warn('SIGUSR1 restart ignored (not authorized; enable commands.restart or use gateway tool).')
      return
    }
    logger.info('SIGUSR1 received; reloading the config in-process')
    void context.reload()
  })
  process.on('unhandledRejection', (reason) => {
    logger.error(`unhandled promise rejection (the gateway keeps running): ${describe(reason)}`)
  })
  process.on('uncaughtException', (error) => {
    // State may be inconsistent now; exit non-zero so Fly's on-fail policy restarts a clean process.
    logger.error(`uncaught exception; exiting so the supervisor restarts the gateway: ${describe(error)}`)
    lock?.release()
    process.exit(1)
  })
}

function graceFromEnv(value: string | undefined): number {
  const parsed = Number(value)
  return Number.isInteger(parsed) && parsed > 0 ? parsed : DEFAULT_GRACE_MS
}

function describe(value: unknown): string {
  return value instanceof Error ? (value.stack ?? value.message) : String(value)
}
