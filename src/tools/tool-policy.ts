import type { ResolvedConfig } from '../config/load-config.js'
import type { Logger } from '../logging/logger.js'
import type { AgentTool } from './agent-tool.js'

/*
 * The policy pipeline of spec/agent-tools.md §2.2: profile → byProvider profile → tools.allow/deny → byProvider
 * allow/deny → agent allow/deny → agent byProvider allow/deny. Each stage can only remove tools; deny beats allow;
 * an empty allow allows everything.
 */

const ALIASES: Readonly<Record<string, string>> = { bash: 'exec', 'apply-patch': 'apply_patch' }

/** Tool groups usable in allow/deny lists (upstream's table). */
export const TOOL_GROUPS: Readonly<Record<string, readonly string[]>> = {
  'group:memory': ['memory_search', 'memory_get'],
  'group:web': ['web_search', 'web_fetch'],
  'group:fs': ['read', 'write', 'edit', 'apply_patch'],
  'group:runtime': ['exec', 'process'],
  'group:sessions': ['sessions_list', 'sessions_history', 'sessions_send', 'sessions_spawn', 'session_status'],
  'group:ui': ['browser', 'canvas'],
  'group:automation': ['cron', 'gateway'],
  'group:messaging': ['message'],
  'group:nodes': ['nodes'],
  'group:clawdbot': [
    'browser', 'canvas', 'nodes', 'cron', 'message', 'gateway', 'agents_list', 'sessions_list', 'sessions_history', 'sessions_send',
    'sessions_spawn', 'session_status', 'memory_search', 'memory_get', 'web_search', 'web_fetch', 'image',
  ],
}

// Plugin tools (MCP among them) stay visible under `coding` and `messaging`, as upstream's plugin tools do.
const PROFILES: Readonly<Record<string, readonly string[] | undefined>> = {
  minimal: ['session_status'],
  coding: ['group:fs', 'group:runtime', 'group:sessions', 'group:memory', 'image', 'group:plugins'],
  messaging: ['group:messaging', 'sessions_list', 'sessions_history', 'sessions_send', 'session_status', 'group:plugins'],
  full: undefined,
}

/** Every name upstream knows as a core tool, so an allowlist of only unknown names can be recognised. */
const CORE_TOOL_NAMES = new Set(Object.values(TOOL_GROUPS).flat().concat(['read', 'image', 'tts']))

interface Stage {
  label: string
  allow?: readonly string[]
  deny?: readonly string[]
}

/** Removes the tools the config's policies do not allow for this agent and model. */
export function applyToolPolicy(
  tools: readonly AgentTool[],
  options: { config: ResolvedConfig; agentId: string; modelRef: string; logger?: Logger },
): AgentTool[] {
  const global = options.config.tools
  const agent = options.config.agents?.list?.find((entry) => entry.id === options.agentId)?.tools
  const byProvider = (policies: Record<string, { profile?: string; allow?: string[]; deny?: string[] }> | undefined) => {
    if (!policies) return undefined
    const [provider] = options.modelRef.split('/')
    const lower = Object.fromEntries(Object.entries(policies).map(([key, value]) => [key.toLowerCase(), value]))
    return lower[options.modelRef.toLowerCase()] ?? lower[provider.toLowerCase()]
  }
  const globalProvider = byProvider(global?.byProvider)
  const agentProvider = byProvider(agent?.byProvider)
  const profile = agent?.profile ?? global?.profile
  const providerProfile = agentProvider?.profile ?? globalProvider?.profile
  const stages: Stage[] = [
    { label: `tools.profile (${profile})`, allow: profile ? PROFILES[profile] : undefined },
    { label: `tools.byProvider.profile (${providerProfile})`, allow: providerProfile ? PROFILES[providerProfile] : undefined },
    { label: 'tools.allow', allow: global?.allow, deny: global?.deny },
    { label: 'tools.byProvider.allow', allow: globalProvider?.allow, deny: globalProvider?.deny },
    { label: `agents.${options.agentId}.tools.allow`, allow: agent?.allow, deny: agent?.deny },
    { label: `agents.${options.agentId}.tools.byProvider.allow`, allow: agentProvider?.allow, deny: agentProvider?.deny },
  ]
  let kept = [...tools]
  for (const stage of stages) kept = applyStage(kept, stage, tools, options.logger)
  return kept
}

function applyStage(tools: AgentTool[], stage: Stage, everyTool: readonly AgentTool[], logger: Logger | undefined): AgentTool[] {
  let allow = stage.allow && stage.allow.length > 0 ? stage.allow.map(normalizeToolName) : undefined
  if (allow) {
    const unknown = allow.filter((entry) => !isKnownEntry(entry, everyTool))
    if (unknown.length === allow.length) {
      logger?.warn(`tools: ${stage.label} allowlist contains unknown entries (${unknown.join(', ')}). Ignoring allowlist so core tools remain available.`)
      allow = undefined
    } else if (unknown.length > 0) {
      logger?.warn(`tools: ${stage.label} allowlist contains unknown entries (${unknown.join(', ')}). These entries won't match any tool unless the plugin is enabled.`)
    }
    // An allowlist that contains exec also allows apply_patch (upstream's special case).
    if (allow?.includes('exec')) allow.push('apply_patch')
  }
  const deny = (stage.deny ?? []).map(normalizeToolName)
  return tools.filter((tool) => !deny.some((entry) => entryMatches(entry, tool)) && (!allow || allow.some((entry) => entryMatches(entry, tool))))
}

/** Lower-cased, trimmed, with upstream's aliases applied. */
export function normalizeToolName(name: string): string {
  const lower = name.trim().toLowerCase()
  return ALIASES[lower] ?? lower
}

function entryMatches(entry: string, tool: AgentTool): boolean {
  const name = tool.name.toLowerCase()
  if (entry === 'group:plugins') return tool.group !== undefined
  if (TOOL_GROUPS[entry]) return TOOL_GROUPS[entry].includes(name)
  if (tool.group !== undefined && entry === tool.group.toLowerCase()) return true
  if (entry.includes('*')) return globToRegExp(entry).test(name)
  return entry === name
}

function isKnownEntry(entry: string, tools: readonly AgentTool[]): boolean {
  if (entry === 'group:plugins' || entry.includes('*') || TOOL_GROUPS[entry] || CORE_TOOL_NAMES.has(entry)) return true
  return tools.some((tool) => entryMatches(entry, tool))
}

/** A case-sensitive matcher for an allow/deny entry where `*` matches anything (callers lower-case both sides). */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')
  return new RegExp(`^${escaped}$`)
}
