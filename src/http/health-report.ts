import type { AppDeps } from '../deps.js'
import { getDefaultAgentId, listAgentIds, normalizeAgentId } from '../config/config-lookup.js'
import { join } from '../config/posix-path.js'
import { sessionsIndexKey } from '../storage/keys.js'
import { toChannelHealth } from './channel-health.js'

const RECENT_SESSIONS = 5
const CHANNEL_LABELS: Record<string, string> = { discord: 'Discord', telegram: 'Telegram' }

/** One agent's session store as upstream's `clawdbot health` prints it (spec/agent-api.md §5). */
export interface SessionSummary {
  path: string
  /** Entries except `global` and `unknown`. */
  count: number
  /** The newest five. */
  recent: { key: string; updatedAt: number | null; age: number | null }[]
}

/**
 * The full health summary in upstream's shape (spec/agent-api.md §5, config-and-runtime.md §8), plus our uptime and
 * reload facts. Every agent carries a `SessionSummary` and a heartbeat object, every channel its `accounts`.
 */
export async function buildHealthReport(
  deps: AppDeps,
  channelStatus?: (options?: { probe?: boolean }) => Promise<Record<string, unknown>>,
  options: { probe?: boolean } = {},
) {
  const started = deps.now()
  const config = deps.state.config
  const defaultAgentId = getDefaultAgentId(config)
  const agentIds = listAgentIds(config)
  // Upstream lists the default agent first when the config does not list it.
  const ordered = agentIds.includes(defaultAgentId) ? agentIds : [defaultAgentId, ...agentIds]

  const agents = []
  let defaultSessions: SessionSummary | undefined
  for (const agentId of ordered) {
    const sessions = await summarizeSessions(deps, agentId, started)
    if (agentId === defaultAgentId) defaultSessions = sessions
    const listed = config.agents?.list?.find((agent) => normalizeAgentId(agent.id) === agentId)
    agents.push({
      agentId,
      ...(listed?.name ? { name: listed.name } : {}),
      isDefault: agentId === defaultAgentId,
      heartbeat: HEARTBEAT_OFF,
      sessions,
    })
  }

  const statuses = (await channelStatus?.({ probe: options.probe === true }).catch(() => ({}))) ?? {}
  const channels = Object.fromEntries(Object.entries(statuses).map(([id, status]) => [id, toChannelHealth(status as Record<string, unknown>)]))
  const now = deps.now()
  return {
    ok: deps.state.phase === 'ready',
    ts: now,
    durationMs: now - started,
    version: deps.version,
    uptimeMs: now - deps.state.startedAt,
    phase: deps.state.phase,
    channels,
    channelOrder: Object.keys(channels),
    channelLabels: Object.fromEntries(Object.keys(channels).map((id) => [id, CHANNEL_LABELS[id] ?? id])),
    heartbeatSeconds: 0,
    defaultAgentId,
    agents,
    sessions: defaultSessions ?? { path: '', count: 0, recent: [] },
    config: {
      path: deps.state.configPath,
      exists: deps.state.configExists,
      ...(deps.state.lastReload ? { lastReload: deps.state.lastReload } : {}),
    },
    listening: deps.state.listening,
  }
}

// No heartbeat runner here yet: upstream's "off" shape, which the CLI prints as `Heartbeat interval: disabled`.
const HEARTBEAT_OFF = { enabled: false, every: 'disabled', everyMs: null, prompt: '', target: 'last', ackMaxChars: 300 }

async function summarizeSessions(deps: AppDeps, agentId: string, now: number): Promise<SessionSummary> {
  const index = await readSessionsIndex(deps, agentId)
  const rows = Object.entries(index)
    .filter(([key]) => key !== 'global' && key !== 'unknown')
    .map(([key, entry]) => {
      const updatedAt = typeof entry?.updatedAt === 'number' ? entry.updatedAt : null
      return { key, updatedAt, age: updatedAt === null ? null : Math.max(0, now - updatedAt) }
    })
  rows.sort((left, right) => (right.updatedAt ?? 0) - (left.updatedAt ?? 0))
  // The file the Node runtime keeps this index in; on other drivers it is the storage key under the state dir.
  const path = join(deps.state.stateDir, sessionsIndexKey(agentId).split(':').join('/'))
  return { path, count: rows.length, recent: rows.slice(0, RECENT_SESSIONS) }
}

async function readSessionsIndex(deps: AppDeps, agentId: string): Promise<Record<string, { updatedAt?: unknown }>> {
  try {
    const value = await deps.storage.getItem(sessionsIndexKey(agentId))
    return value && typeof value === 'object' ? (value as Record<string, { updatedAt?: unknown }>) : {}
  } catch (error) {
    // A damaged index must not take the health endpoint down; say so in the logs instead.
    deps.logger.child('health').warn(`could not read the sessions index of agent ${agentId}: ${String(error)}`)
    return {}
  }
}
