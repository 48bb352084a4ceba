import type { AgentRuntime } from '../agent/agent-runtime.js'
import type { DeliveryRegistry } from '../channels/delivery-registry.js'
import type { AppDeps } from '../deps.js'
import { CronService, type CronEvent } from './cron-service.js'
import { CronStore, resolveCronStoreLocation } from './cron-store.js'
import { HeartbeatRunner } from './heartbeat-runner.js'
import type { HeartbeatEvent } from './run-heartbeat.js'
import { runCronJob } from './run-cron-job.js'

// How soon a config edit under `cron` or `…heartbeat` reaches an idle scheduler.
const CONFIG_CHECK_MS = 5_000

/** Cron and heartbeat for one gateway, plus what the control methods need to reach them. */
export interface Automation {
  /** The current cron service; replaced when the `cron` config section changes. */
  cron(): CronService
  heartbeat: HeartbeatRunner
  agents: AgentRuntime
  /** Loads the store and arms both timers. */
  start(): Promise<void>
  stop(): void
  /** Picks up config changes (called on every use; cheap when nothing changed). */
  refresh(): Promise<void>
}

/** Where automation sends its `cron` and `heartbeat` events. */
export type AutomationBroadcast = (event: 'cron' | 'heartbeat', payload: CronEvent | HeartbeatEvent) => void

/**
 * Builds the cron service and the heartbeat runner over the agent runtime and the delivery registry. Time comes only
 * from `deps.now` and `deps.scheduler`; due times live in storage, so a restart (or a Workers alarm) re-arms them.
 */
export function createAutomation(deps: AppDeps, agents: AgentRuntime, delivery: DeliveryRegistry, broadcast: AutomationBroadcast): Automation {
  const logger = deps.logger.child('cron')
  const hostZone = new Intl.DateTimeFormat().resolvedOptions().timeZone
  const heartbeat = new HeartbeatRunner({
    config: () => deps.state.config,
    now: deps.now,
    scheduler: deps.scheduler,
    storage: deps.storage,
    agents,
    delivery,
    readTextFile: deps.readTextFile,
    log: deps.logger.child('heartbeat'),
    hostZone,
    broadcast: (event) => broadcast('heartbeat', event),
  })
  const buildCron = () => {
    const settings = deps.state.config.cron as { enabled?: boolean; store?: string } | undefined
    const location = resolveCronStoreLocation(deps.state.stateDir, settings?.store, (message) => logger.warn(message))
    return new CronService({
      store: new CronStore(deps.storage, location, (message) => logger.warn(message)),
      now: deps.now,
      scheduler: deps.scheduler,
      log: { info: (message, data) => logger.info(data === undefined ? message : `${message} ${JSON.stringify(data)}`), warn: (message) => logger.warn(message), error: (message) => logger.error(message) },
      enabled: settings?.enabled !== false && deps.env.CLAWDBOT_SKIP_CRON !== '1',
      hostZone,
      execute: (job) =>
        runCronJob({ config: () => deps.state.config, now: deps.now, scheduler: deps.scheduler, agents, delivery, heartbeat, log: logger, hostZone }, job),
      emit: (event) => broadcast('cron', event),
    })
  }
  let cron = buildCron()
  let seenConfig = deps.state.config
  let started = false
  let cancelWatch: (() => void) | undefined

  const refresh = async () => {
    const config = deps.state.config
    if (config === seenConfig) return
    const cronChanged = JSON.stringify(config.cron) !== JSON.stringify(seenConfig.cron)
    seenConfig = config
    heartbeat.reload()
    if (!cronChanged) return
    // Upstream rebuilds the service on any `cron` change; start() recomputes every due time from now.
    cron.stop()
    cron = buildCron()
    if (started) await cron.start()
  }

  return {
    cron: () => cron,
    heartbeat,
    agents,
    async start() {
      started = true
      await cron.start()
      await heartbeat.start()
      // Stopped while loading (e.g. the gateway could not listen): leave no timer behind.
      if (!started) {
        cron.stop()
        heartbeat.stop()
        return
      }
      // The runtime swaps `state.config` on a hot reload; a cheap identity check picks that up while idle too.
      cancelWatch = deps.scheduler.every(CONFIG_CHECK_MS, () => void refresh().catch((error: unknown) => logger.error(`reload failed: ${String(error)}`)))
    },
    stop() {
      started = false
      cancelWatch?.()
      cron.stop()
      heartbeat.stop()
    },
    refresh,
  }
}
