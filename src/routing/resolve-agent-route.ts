import type { Config } from '../config/schema.js'
import { getDefaultAgentId, normalizeAgentId } from '../config/config-lookup.js'

/** Where a message came from, as far as routing cares. */
export interface AgentRouteInput {
  config: Pick<Config, 'agents' | 'bindings'>
  channel: string
  /** Channel account; `default` when omitted. */
  accountId?: string
  /** Discord: `{dm, userId}`, `{group, channelId}` or `{channel, channelId}` (a thread uses its own id). */
  peer?: { kind: 'dm' | 'group' | 'channel'; id: string }
  guildId?: string
  teamId?: string
}

/** The chosen agent and the binding tier that chose it. */
export interface AgentRoute {
  agentId: string
  matchedBy: 'peer' | 'guild' | 'team' | 'account' | 'channel' | 'default'
}

type Binding = NonNullable<Config['bindings']>[number]
type Tier = Exclude<AgentRoute['matchedBy'], 'default'>

const TIER_ORDER: readonly Tier[] = ['peer', 'guild', 'team', 'account', 'channel']

/**
 * Picks the agent for a message from `bindings`: among bindings for this channel and account, the first match in
 * tier order peer > guild > team > account > channel wins, else the default agent. A binding names its most
 * specific field's tier and matches only when all its fields do. An agent id missing from `agents.list` falls back
 * to the default agent.
 * @see spec/config-and-runtime.md §5.2
 */
export function resolveAgentRoute(input: AgentRouteInput): AgentRoute {
  const defaultAgentId = getDefaultAgentId(input.config)
  const accountId = input.accountId ?? 'default'
  const candidates = (input.config.bindings ?? []).filter(
    (binding) => sameId(binding.match.channel, input.channel) && accountMatches(binding.match.accountId, accountId),
  )
  for (const tier of TIER_ORDER) {
    const binding = candidates.find((candidate) => tierOf(candidate) === tier && matches(candidate, input))
    if (binding !== undefined) return { agentId: knownAgentId(binding.agentId, input.config, defaultAgentId), matchedBy: tier }
  }
  return { agentId: defaultAgentId, matchedBy: 'default' }
}

function accountMatches(bound: string | undefined, accountId: string): boolean {
  if (bound === undefined) return sameId(accountId, 'default')
  return bound.trim() === '*' || sameId(bound, accountId)
}

function tierOf(binding: Binding): Tier {
  const { match } = binding
  if (match.peer !== undefined) return 'peer'
  if (match.guildId !== undefined) return 'guild'
  if (match.teamId !== undefined) return 'team'
  return match.accountId?.trim() === '*' ? 'channel' : 'account'
}

function matches(binding: Binding, input: AgentRouteInput): boolean {
  const { peer, guildId, teamId } = binding.match
  if (peer !== undefined && (input.peer === undefined || peer.kind !== input.peer.kind || peer.id !== input.peer.id)) {
    return false
  }
  if (guildId !== undefined && guildId !== input.guildId) return false
  return teamId === undefined || teamId === input.teamId
}

function knownAgentId(agentId: string, config: AgentRouteInput['config'], defaultAgentId: string): string {
  const wanted = normalizeAgentId(agentId)
  const known = (config.agents?.list ?? []).some((agent) => normalizeAgentId(agent.id) === wanted)
  return known ? wanted : defaultAgentId
}

function sameId(left: string, right: string): boolean {
  return left.trim().toLowerCase() === right.trim().toLowerCase()
}
