import type { Storage } from 'unstorage'
import type { Scheduler } from '../deps.js'
import type { ResolvedConfig } from '../config/load-config.js'
import { decodeStoredText } from '../sessions/decode-stored-text.js'
import { heartbeatStateKey } from '../storage/keys.js'
import { resolveHeartbeatAgents, type HeartbeatSettings } from './heartbeat-settings.js'
import { runHeartbeat, type HeartbeatEvent, type HeartbeatResult, type HeartbeatRunContext } from './run-heartbeat.js'

// Upstream coalesces wake requests for 250 ms and retries a busy or failed pass after 1 s.
const COALESCE_MS = 250
const RETRY_MS = 1_000

/** What the runner needs beyond one run's context. */
export interface HeartbeatRunnerOptions extends Omit<HeartbeatRunContext, 'config' | 'emit'> {
  config: () => ResolvedConfig
  scheduler: Scheduler
  storage: Storage
  /** Broadcasts the `heartbeat` event. */
  broadcast: (event: HeartbeatEvent) => void
}

/**
 * Runs heartbeats on each agent's interval and on request. Due times come from each agent's last run (kept in
 * storage, so a restart or a Workers wake-up keeps the cadence; missed beats are not caught up), and one timer fires
 * at the earliest. Requests are coalesced for 250 ms; a non-interval reason runs every heartbeat agent at once.
 * @see spec/automation.md §2.3
 */
export class HeartbeatRunner {
  #enabled = true
  #lastEvent: (HeartbeatEvent & { ts: number }) | null = null
  #lastRunAt = new Map<string, number>()
  #startedAt = 0
  #cancelTimer?: () => void
  #cancelWake?: () => void
  #pendingReason?: string
  #running?: Promise<void>
  #stopped = true

  constructor(private readonly options: HeartbeatRunnerOptions) {}

  get enabled(): boolean {
    return this.#enabled
  }

  /** The last emitted event, for `last-heartbeat`; process memory only. */
  get lastEvent(): HeartbeatEvent | null {
    return this.#lastEvent
  }

  async start(): Promise<void> {
    this.#stopped = false
    this.#startedAt = this.options.now()
    const text = decodeStoredText(await this.options.storage.getItemRaw(heartbeatStateKey()).catch(() => null))
    try {
      const stored = text ? (JSON.parse(text) as { lastRunAt?: Record<string, number> }) : {}
      for (const [agentId, at] of Object.entries(stored.lastRunAt ?? {})) if (typeof at === 'number') this.#lastRunAt.set(agentId, at)
    } catch {
      this.options.log.warn('heartbeat: ignoring an unreadable heartbeat state file')
    }
    const agents = resolveHeartbeatAgents(this.options.config())
    if (agents.length === 0) this.options.log.info('heartbeat: disabled')
    else this.options.log.info(`heartbeat: started ${agents.map((agent) => `${agent.agentId} every ${agent.intervalMs / 60_000}m`).join(', ')}`)
    this.#arm()
  }

  stop(): void {
    this.#stopped = true
    this.#cancelTimer?.()
    this.#cancelWake?.()
  }

  /** Re-reads the config's heartbeat settings (hot reload); last run times are kept. */
  reload(): void {
    if (!this.#stopped) this.#arm()
  }

  /** `set-heartbeats`: pauses or resumes every run (process-global, not persisted). */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled
    if (!this.#stopped) this.#arm()
  }

  /** Asks for a heartbeat soon (reason `wake`, `cron:<id>`, …); requests within 250 ms are merged. */
  requestNow(reason: string): void {
    if (this.#pendingReason === undefined || this.#pendingReason === 'interval') this.#pendingReason = reason
    this.#cancelWake?.()
    this.#cancelWake = this.options.scheduler.after(COALESCE_MS, () => void this.#handle())
  }

  /** Runs one heartbeat for the default heartbeat agent right now (cron's `wakeMode: "now"`), without coalescing. */
  async runNow(reason: string): Promise<HeartbeatResult> {
    const agents = this.#agents(reason)
    if (!this.#enabled || agents.length === 0) return { status: 'skipped', reason: 'disabled' }
    await this.#running
    return this.#runOne(agents[0]!, reason)
  }

  /** The due time of each heartbeat agent. */
  dueTimes(): { agentId: string; dueAt: number }[] {
    return this.#agents().map((agent) => ({ agentId: agent.agentId, dueAt: this.#dueAt(agent) }))
  }

  // DEVIATION: upstream skips wakes for agents without an interval ("disabled"), so a cron reminder for the main
  // session never arrives while heartbeats are off; here only the interval timer needs one.
  #agents(reason = 'interval'): HeartbeatSettings[] {
    return resolveHeartbeatAgents(this.options.config(), { requireInterval: reason === 'interval' })
  }

  #dueAt(agent: HeartbeatSettings): number {
    const last = this.#lastRunAt.get(agent.agentId)
    const fromStart = this.#startedAt + agent.intervalMs
    if (last === undefined) return fromStart
    const fromLast = last + agent.intervalMs
    // Down longer than one interval: the beat that was missed is skipped, the next comes one interval after boot.
    return fromLast >= this.options.now() ? fromLast : fromStart
  }

  #arm(): void {
    this.#cancelTimer?.()
    this.#cancelTimer = undefined
    if (!this.#enabled) return
    const dues = this.dueTimes().filter((due) => Number.isFinite(due.dueAt))
    if (dues.length === 0) return
    const next = Math.min(...dues.map((due) => due.dueAt))
    this.options.scheduler.wakeAt(next)
    this.#cancelTimer = this.options.scheduler.after(Math.max(0, next - this.options.now()), () => {
      this.#pendingReason ??= 'interval'
      void this.#handle()
    })
  }

  async #handle(): Promise<void> {
    if (this.#running) {
      await this.#running
      if (this.#pendingReason === undefined) return
    }
    const reason = this.#pendingReason ?? 'interval'
    this.#pendingReason = undefined
    let retry = false
    const pass = (async () => {
      const now = this.options.now()
      for (const agent of this.#agents(reason)) {
        if (reason === 'interval' && this.#dueAt(agent) > now) continue
        const result = await this.#runOne(agent, reason)
        if (result.status === 'skipped' && result.reason === 'requests-in-flight') {
          retry = true
          break
        }
      }
    })()
    this.#running = pass.catch((error: unknown) => {
      retry = true
      this.options.log.error(`heartbeat failed: ${String(error)}`)
    })
    await this.#running
    this.#running = undefined
    if (this.#stopped) return
    if (retry) {
      this.#pendingReason ??= reason
      this.#cancelWake?.()
      this.#cancelWake = this.options.scheduler.after(RETRY_MS, () => void this.#handle())
    }
    this.#arm()
  }

  async #runOne(agent: HeartbeatSettings, reason: string): Promise<HeartbeatResult> {
    if (!this.#enabled) return { status: 'skipped', reason: 'disabled' }
    const startedAt = this.options.now()
    const result = await runHeartbeat({ ...this.options, config: this.options.config(), emit: (event) => this.#emit(event) }, agent, reason)
    if ((result.status === 'skipped' && (result.reason === 'requests-in-flight' || result.reason === 'disabled')) || agent.intervalMs === 0) return result
    this.#lastRunAt.set(agent.agentId, startedAt)
    await this.options.storage
      .setItemRaw(heartbeatStateKey(), JSON.stringify({ lastRunAt: Object.fromEntries(this.#lastRunAt) }))
      .catch((error: unknown) => this.options.log.warn(`heartbeat: could not save its state: ${String(error)}`))
    return result
  }

  #emit(event: HeartbeatEvent): void {
    this.#lastEvent = event
    this.options.broadcast(event)
  }
}
