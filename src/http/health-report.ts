import type { AppDeps } from '../deps.js'
import { getDefaultAgentId, listAgentIds, normalizeAgentId } from '../config/config-lookup.js'
import { sessionsIndexKey } from '../storage/keys.js'

const CHANNEL_LABELS: Record<string, string> = { discord: 'Discord', telegram: 'Telegram' }

const RECENT_SESSIONS = 5

/** The full health summary in upstream's shape (config-and-runtime.md §8), plus our uptime and reload facts. */
export async function buildHealthReport(deps: AppDeps, channelStatus?: () => Promise<Record<string, Record<string, unknown>>>) {
  const started = deps.now()
  const config = deps.state.config
  const defaultAgentId = getDefaultAgentId(config)
  const agentIds = listAgentIds(config)

  const agents = []
  const recent: { key: string; updatedAt: number; age: number }[] = []
  let sessionCount = 0
  for (const agentId of agentIds) {
    const index = await readSessionsIndex(deps, agentId)
    const entries = Object.entries(index)
    sessionCount += entries.length
    for (const [key, entry] of entries) {
      const updatedAt = typeof entry?.updatedAt === 'number' ? entry.updatedAt : 0
      recent.push({ key, updatedAt, age: Math.max(0, started - updatedAt) })
    }
    const listed = config.agents?.list?.find((agent) => normalizeAgentId(agent.id) === agentId)
    agents.push({
      agentId,
      ...(listed?.name ? { name: listed.name } : {}),
      isDefault: agentId === defaultAgentId,
      heartbeat: null,
      sessions: entries.length,
    })
  }
  recent.sort((left, right) => right.updatedAt - left.updatedAt)

  const channels = (await channelStatus?.().catch(() => ({}))) ?? {}
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
    sessions: { path: sessionsIndexKey(defaultAgentId), count: sessionCount, recent: recent.slice(0, RECENT_SESSIONS) },
    config: {
      path: deps.state.configPath,
      exists: deps.state.configExists,
      ...(deps.state.lastReload ? { lastReload: deps.state.lastReload } : {}),
    },
    listening: deps.state.listening,
  }
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
