import type { AgentRuntime } from '../agent/agent-runtime.js'
import type { DeliveryRegistry } from '../channels/delivery-registry.js'
import type { ResolvedConfig } from '../config/load-config.js'
import { join } from '../config/posix-path.js'
import { mainSessionKey } from '../sessions/session-key.js'
import { DEFAULT_ACK_MAX_CHARS, DEFAULT_HEARTBEAT_PROMPT, HEARTBEAT_TOKEN, isHeartbeatFileEffectivelyEmpty, stripHeartbeatToken } from './heartbeat-text.js'
import { isWithinActiveHours, type HeartbeatSettings } from './heartbeat-settings.js'
import { resolveDeliveryTarget } from './resolve-delivery-target.js'

const DUPLICATE_WINDOW_MS = 24 * 3_600_000
const PREVIEW_CHARS = 200

/** The `heartbeat` event payload (without `ts`, which the emitter adds). */
export interface HeartbeatEvent {
  ts: number
  status: 'sent' | 'ok-empty' | 'ok-token' | 'skipped' | 'failed'
  reason?: string
  to?: string
  preview?: string
  durationMs?: number
  hasMedia?: boolean
  channel?: string
  silent?: boolean
  indicatorType?: 'ok' | 'alert' | 'error'
}

/** What callers (the runner, cron's wake) learn from one heartbeat run. */
export type HeartbeatResult = { status: 'ran'; durationMs: number } | { status: 'skipped'; reason: string } | { status: 'failed'; reason: string }

/** What one heartbeat run needs. */
export interface HeartbeatRunContext {
  config: ResolvedConfig
  now: () => number
  agents: AgentRuntime
  delivery: DeliveryRegistry
  readTextFile: (path: string) => Promise<string | undefined>
  emit: (event: HeartbeatEvent) => void
  log: { info(message: string): void; warn(message: string): void; error(message: string): void }
  hostZone?: string
}

type Visibility = { showOk: boolean; showAlerts: boolean; useIndicator: boolean }

/**
 * One heartbeat of one agent, in upstream's order of checks: quiet hours, a busy runtime, an effectively empty
 * `HEARTBEAT.md`, visibility, then a normal turn in the agent's main session whose reply is delivered unless it is an
 * ack (`HEARTBEAT_OK`), a repeat within 24 h, or there is nowhere to send it. Silent outcomes restore the session's
 * `updatedAt` so heartbeats never keep a session from expiring.
 * @see spec/automation.md §2.4–§2.7
 */
export async function runHeartbeat(context: HeartbeatRunContext, settings: HeartbeatSettings, reason: string): Promise<HeartbeatResult> {
  const { config, now, agents } = context
  const startedAt = now()
  if (!isWithinActiveHours(settings.activeHours, startedAt, { userTimezone: config.agents?.defaults?.userTimezone, hostZone: context.hostZone })) {
    return { status: 'skipped', reason: 'quiet-hours' }
  }
  const stats = agents.stats()
  if (stats.active + stats.queued > 0) return { status: 'skipped', reason: 'requests-in-flight' }

  const workspace = agents.sessions.workspaceFor(settings.agentId)
  const file = await context.readTextFile(join(workspace, 'HEARTBEAT.md')).catch(() => undefined)
  const sessionKey = heartbeatSessionKey(settings, config)
  // DEVIATION: a queued system event (a cron reminder, `wake`) is something to attend to even with an empty file.
  const hasEvents = agents.systemEvents.peek(sessionKey).length > 0
  if (file !== undefined && isHeartbeatFileEffectivelyEmpty(file) && reason !== 'exec-event' && !hasEvents) {
    context.emit({ ts: now(), status: 'skipped', reason: 'empty-heartbeat-file' })
    return { status: 'skipped', reason: 'empty-heartbeat-file' }
  }

  const store = agents.sessions.store(settings.agentId)
  const before = await store.get(sessionKey)
  const target =
    settings.target?.trim().toLowerCase() === 'none'
      ? ({ ok: false, reason: 'target-none' } as const)
      : resolveDeliveryTarget({ channel: settings.target, to: settings.to }, { key: sessionKey, entry: before }, context.delivery.channels())
  const visibility = target.ok ? visibilityFor(config, target.target.channel, target.target.accountId) : { showOk: false, showAlerts: true, useIndicator: true }
  if (!visibility.showOk && !visibility.showAlerts && !visibility.useIndicator) {
    context.emit({ ts: now(), status: 'skipped', reason: 'alerts-disabled' })
    return { status: 'skipped', reason: 'alerts-disabled' }
  }
  const indicator = (type: 'ok' | 'alert' | 'error') => (visibility.useIndicator ? { indicatorType: type } : {})
  const restoreUpdatedAt = async () => {
    if (before === undefined) return
    await store.update(sessionKey, (current) => current && { ...current, updatedAt: before.updatedAt })
  }

  const prompt = settings.prompt?.trim() || DEFAULT_HEARTBEAT_PROMPT
  const handle = agents.send({ agentId: settings.agentId, sessionKey, text: prompt, channel: before?.lastChannel ?? 'heartbeat', keepRoute: true, ...(settings.model ? { modelOverride: settings.model } : {}) })
  const outcome = await handle.done
  const durationMs = now() - startedAt
  if (outcome.kind !== 'completed') {
    const message = outcome.kind === 'failed' ? outcome.detail : 'aborted'
    context.log.error(`heartbeat failed: ${message}`)
    context.emit({ ts: now(), status: 'failed', reason: message, durationMs, ...indicator('error') })
    return { status: 'failed', reason: message }
  }

  const stripped = outcome.silent ? { ack: true, text: '', stripped: false } : stripHeartbeatToken(outcome.text, { mode: 'heartbeat', ackMaxChars: settings.ackMaxChars ?? DEFAULT_ACK_MAX_CHARS })
  const to = target.ok ? target.target.to : undefined
  const channel = target.ok ? target.target.channel : undefined
  if (stripped.ack) {
    const status = stripped.text === '' && !stripped.stripped ? 'ok-empty' : 'ok-token'
    await restoreUpdatedAt()
    let silent = true
    if (visibility.showOk && target.ok) {
      const prefix = config.messages?.responsePrefix as string | undefined
      await context.delivery.deliver(target.target, { text: prefix ? `${prefix} ${HEARTBEAT_TOKEN}` : HEARTBEAT_TOKEN }).then(
        () => (silent = false),
        (error: unknown) => context.log.warn(`heartbeat: could not send the OK: ${String(error)}`),
      )
    }
    context.emit({ ts: now(), status, reason, durationMs, ...(to ? { to, channel } : {}), silent, ...indicator('ok') })
    return { status: 'ran', durationMs }
  }

  const text = stripped.text
  const entry = await store.get(sessionKey)
  const last = entry as { lastHeartbeatText?: unknown; lastHeartbeatSentAt?: unknown } | undefined
  const preview = text.slice(0, PREVIEW_CHARS)
  if (last?.lastHeartbeatText === text && typeof last.lastHeartbeatSentAt === 'number' && startedAt - last.lastHeartbeatSentAt < DUPLICATE_WINDOW_MS) {
    await restoreUpdatedAt()
    context.emit({ ts: now(), status: 'skipped', reason: 'duplicate', preview, durationMs })
    return { status: 'ran', durationMs }
  }
  if (!target.ok) {
    context.emit({ ts: now(), status: 'skipped', reason: target.reason, preview, durationMs })
    return { status: 'ran', durationMs }
  }
  if (!visibility.showAlerts) {
    await restoreUpdatedAt()
    context.emit({ ts: now(), status: 'skipped', reason: 'alerts-disabled', preview, durationMs, ...indicator('alert') })
    return { status: 'ran', durationMs }
  }
  const deliverer = context.delivery.get(target.target.channel)
  const notReady = deliverer === undefined ? `${target.target.channel} is not available` : checkTarget(deliverer, target.target)
  if (notReady !== undefined) {
    context.log.warn(`heartbeat: channel not ready: ${notReady}`)
    context.emit({ ts: now(), status: 'skipped', reason: notReady, preview, durationMs })
    return { status: 'ran', durationMs }
  }
  try {
    await context.delivery.deliver(target.target, { text })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    context.log.error(`heartbeat failed: ${message}`)
    context.emit({ ts: now(), status: 'failed', reason: message, preview, durationMs, to, channel, ...indicator('error') })
    return { status: 'failed', reason: message }
  }
  await store.update(sessionKey, (current) => current && { ...current, lastHeartbeatText: text, lastHeartbeatSentAt: startedAt })
  context.emit({ ts: now(), status: 'sent', preview, durationMs, to, channel, ...indicator('alert') })
  return { status: 'ran', durationMs }
}

/** The session a heartbeat runs in: the agent's main session, or its own `session` key when that is the same agent's. */
export function heartbeatSessionKey(settings: HeartbeatSettings, config: ResolvedConfig): string {
  if (config.session?.scope === 'global') return 'global'
  const requested = settings.session?.trim().toLowerCase()
  if (requested && requested !== 'main' && requested.startsWith(`agent:${settings.agentId}:`)) return requested
  return mainSessionKey(settings.agentId)
}

function checkTarget(deliverer: { checkTarget(target: never): void }, target: unknown): string | undefined {
  try {
    deliverer.checkTarget(target as never)
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

// Per-account over per-channel over channels.defaults over the built-in {false, true, true}.
function visibilityFor(config: ResolvedConfig, channel: string, accountId: string | undefined): Visibility {
  const channels = (config.channels ?? {}) as Record<string, { heartbeat?: Partial<Visibility>; accounts?: Record<string, { heartbeat?: Partial<Visibility> } | undefined> } | undefined>
  const layers = [
    { showOk: false, showAlerts: true, useIndicator: true },
    (channels.defaults as { heartbeat?: Partial<Visibility> } | undefined)?.heartbeat,
    channels[channel]?.heartbeat,
    accountId === undefined ? undefined : channels[channel]?.accounts?.[accountId]?.heartbeat,
  ]
  return Object.assign({}, ...layers.filter(Boolean)) as Visibility
}
