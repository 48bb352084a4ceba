import { AppError } from '../errors.js'
import type { Config } from './schema.js'

/** The agent id used when nothing else applies. */
export const DEFAULT_AGENT_ID = 'main'

/**
 * The default agent's normalized id: the first `agents.list` entry with `default: true`, else the
 * first entry, else "main".
 */
export function getDefaultAgentId(config: Pick<Config, 'agents'>): string {
  const list = config.agents?.list ?? []
  const chosen = list.find((agent) => agent.default === true) ?? list[0]
  return normalizeAgentId(chosen?.id)
}

/** Lower-cases an agent id and replaces characters outside `[a-z0-9_-]`, as session keys require. */
export function normalizeAgentId(id: string | undefined): string {
  const lowered = (id ?? '').trim().toLowerCase()
  if (/^[a-z0-9][a-z0-9_-]{0,63}$/.test(lowered)) return lowered
  const cleaned = lowered
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .replace(/-+$/, '')
    .slice(0, 64)
  return cleaned === '' ? DEFAULT_AGENT_ID : cleaned
}

/** Every agent id (normalized), the default first, each once; `["main"]` when no agents are listed. */
export function listAgentIds(config: Pick<Config, 'agents'>): string[] {
  return [...new Set([getDefaultAgentId(config), ...(config.agents?.list ?? []).map((agent) => normalizeAgentId(agent.id))])]
}

/**
 * Returns `agentId` when the config lists it, else throws a `bad_request`: a session key naming an unknown agent must
 * not create state (directories named `constructor` or `proto__`) or run the default agent's model in its name.
 */
export function requireKnownAgentId(config: Pick<Config, 'agents'>, agentId: string): string {
  const known = listAgentIds(config)
  if (known.includes(agentId)) return agentId
  throw new AppError('bad_request', `[agent] unknown agent id in the session key; configured agents: ${known.join(', ')} (add it to agents.list first)`)
}
