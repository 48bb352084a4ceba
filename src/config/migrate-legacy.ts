import { isPlainObject, type ConfigIssue } from './config-issue.js'
import { deepMerge } from './deep-merge.js'
import { LEGACY_CHANNEL_KEYS } from './known-ids.js'

type ConfigObject = Record<string, unknown>

/**
 * Moves legacy keys to their current place in a copy of the raw config and reports each one.
 * Upstream's CLI refuses such files; we migrate in memory and never write the file back.
 */
export function migrateLegacyConfig(raw: unknown): { config: unknown; legacy: ConfigIssue[] } {
  if (!isPlainObject(raw)) return { config: raw, legacy: [] }
  const config = structuredClone(raw)
  const legacy: ConfigIssue[] = []
  const report = (path: string, message: string) => legacy.push({ path, message })

  for (const channelId of LEGACY_CHANNEL_KEYS) {
    if (!(channelId in config)) continue
    const channels = objectAt(config, 'channels')
    // Values already under channels.* win over the legacy copy.
    channels[channelId] = deepMerge(config[channelId], channels[channelId] ?? {})
    delete config[channelId]
    report(channelId, `${channelId} config moved to channels.${channelId} (auto-migrated on load).`)
  }

  if ('agent' in config) {
    const agent = isPlainObject(config.agent) ? { ...config.agent } : {}
    // Old files wrote the model as a bare string; agents.defaults.model is always an object.
    if (typeof agent.model === 'string') agent.model = { primary: agent.model }
    const agents = objectAt(config, 'agents')
    agents.defaults = deepMerge(agent, agents.defaults ?? {})
    delete config.agent
    report('agent', 'agent.* was moved; use agents.defaults instead (auto-migrated on load).')
  }

  if (isPlainObject(config.routing)) migrateRouting(config, config.routing, report)

  if ('identity' in config) {
    const list = agentList(config)
    if (list.length === 0) list.push({ id: 'main' })
    const index = Math.max(0, list.findIndex((entry) => isPlainObject(entry) && entry.default === true))
    const entry = isPlainObject(list[index]) ? list[index] : {}
    list[index] = { ...entry, identity: deepMerge(config.identity, entry.identity ?? {}) }
    delete config.identity
    report('identity', 'identity was moved; use agents.list[].identity instead (auto-migrated on load).')
  }

  if (isPlainObject(config.gateway) && 'token' in config.gateway) {
    const gateway = config.gateway
    const auth = objectAt(gateway, 'auth')
    auth.token ??= gateway.token
    delete gateway.token
    report('gateway.token', 'gateway.token is ignored; use gateway.auth.token instead (auto-migrated on load).')
  }

  const tts = isPlainObject(config.messages) ? config.messages.tts : undefined
  if (isPlainObject(tts) && 'enabled' in tts) {
    tts.auto ??= tts.enabled === true ? 'always' : 'off'
    delete tts.enabled
    report('messages.tts.enabled', 'messages.tts.enabled was replaced by messages.tts.auto (auto-migrated on load).')
  }

  return { config, legacy }
}

function migrateRouting(config: ConfigObject, routing: ConfigObject, report: (path: string, message: string) => void) {
  if ('agents' in routing) {
    const entries = Array.isArray(routing.agents)
      ? routing.agents
      : Object.entries(isPlainObject(routing.agents) ? routing.agents : {}).map(([id, entry]) => ({
          id,
          ...(isPlainObject(entry) ? entry : {}),
        }))
    agentList(config).push(...entries)
    delete routing.agents
    report('routing.agents', 'routing.agents was moved; use agents.list instead (auto-migrated on load).')
  }
  if ('bindings' in routing) {
    const existing = Array.isArray(config.bindings) ? config.bindings : []
    config.bindings = [...existing, ...(Array.isArray(routing.bindings) ? routing.bindings : [])]
    delete routing.bindings
    report('routing.bindings', 'routing.bindings was moved; use top-level bindings instead (auto-migrated on load).')
  }
  if ('queue' in routing) {
    const messages = objectAt(config, 'messages')
    messages.queue = deepMerge(routing.queue, messages.queue ?? {})
    delete routing.queue
    report('routing.queue', 'routing.queue was moved; use messages.queue instead (auto-migrated on load).')
  }
  // Leftover routing keys stay in place so validation reports them.
  if (Object.keys(routing).length === 0) delete config.routing
}

/** The object at `parent[key]`, created when missing (a non-object value is left for validation to report). */
function objectAt(parent: ConfigObject, key: string): ConfigObject {
  const current = parent[key]
  if (isPlainObject(current)) return current
  const created: ConfigObject = {}
  if (current === undefined) parent[key] = created
  return created
}

function agentList(config: ConfigObject): unknown[] {
  const agents = objectAt(config, 'agents')
  if (!Array.isArray(agents.list)) agents.list = []
  return agents.list as unknown[]
}
