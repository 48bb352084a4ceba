import type { ResolvedConfig } from '../config/load-config.js'
import { getDefaultAgentId, normalizeAgentId } from '../config/config-lookup.js'
import { safeZone } from '../agent/system-event-queue.js'

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/i
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/

/** Parses a heartbeat duration (`30m`, `1h`, `45` = minutes); undefined when it is not one. */
export function parseDurationMs(text: string, defaultUnit: keyof typeof UNIT_MS = 'm'): number | undefined {
  const match = DURATION.exec(text.trim())
  if (!match) return undefined
  return Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? defaultUnit).toLowerCase()])
}

/** One agent's effective heartbeat settings. */
export interface HeartbeatSettings {
  agentId: string
  intervalMs: number
  prompt?: string
  model?: string
  session?: string
  target?: string
  to?: string
  ackMaxChars?: number
  activeHours?: { start?: string; end?: string; timezone?: string }
}

/**
 * Which agents run heartbeats and how often: the agents with a `heartbeat` block when any has one, else the
 * default agent; settings are `agents.defaults.heartbeat` overlaid by the agent's own. An agent without an interval
 * (no `every` anywhere, `0m`, or unparsable) does not run: heartbeats are off unless the config asks for them.
 * @see spec/automation.md §2.2
 */
export function resolveHeartbeatAgents(config: ResolvedConfig, options: { requireInterval?: boolean } = {}): HeartbeatSettings[] {
  const list = config.agents?.list ?? []
  const explicit = list.filter((agent) => agent.heartbeat !== undefined)
  const chosen = explicit.length > 0 ? explicit.map((agent) => ({ id: normalizeAgentId(agent.id), own: agent.heartbeat })) : [{ id: getDefaultAgentId(config), own: list.find((agent) => normalizeAgentId(agent.id) === getDefaultAgentId(config))?.heartbeat }]
  const result: HeartbeatSettings[] = []
  for (const { id, own } of chosen) {
    const merged = { ...config.agents?.defaults?.heartbeat, ...own }
    const intervalMs = merged.every === undefined ? undefined : parseDurationMs(merged.every)
    if (intervalMs === undefined || intervalMs <= 0) {
      // A wake (cron reminder, `wake`) still reaches an agent whose interval is off; only the timer needs one.
      if (options.requireInterval === false) result.push({ ...merged, agentId: id, intervalMs: 0 })
      continue
    }
    result.push({ ...merged, agentId: id, intervalMs })
  }
  return result
}

/**
 * Whether `now` is inside the active window: start inclusive, end exclusive, wrapping midnight when end < start;
 * equal or unparsable bounds mean always active. The zone is the window's, `user`/unset meaning the user's zone.
 * @see spec/automation.md §2.4
 */
export function isWithinActiveHours(
  window: HeartbeatSettings['activeHours'],
  now: number,
  zones: { userTimezone?: string; hostZone?: string },
): boolean {
  if (window === undefined) return true
  const start = toMinutes(window.start)
  const end = toMinutes(window.end)
  if (start === undefined || end === undefined || start === end || start === 24 * 60) return true
  const requested = window.timezone?.trim()
  const userZone = safeZone(zones.userTimezone) ?? zones.hostZone
  const zone = requested === undefined || requested === '' || requested === 'user' ? userZone : requested === 'local' ? zones.hostZone : (safeZone(requested) ?? userZone)
  const current = minutesOfDay(now, zone)
  return start < end ? current >= start && current < end : current >= start || current < end
}

function toMinutes(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const match = TIME.exec(value.trim())
  if (!match) return undefined
  const minutes = Number(match[1]) * 60 + Number(match[2])
  return minutes > 24 * 60 ? undefined : minutes
}

function minutesOfDay(now: number, zone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone ?? 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(now))
  const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? 0)
  const minute = Number(parts.find((part) => part.type === 'minute')?.value ?? 0)
  return hour * 60 + minute
}
