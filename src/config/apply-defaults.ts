import type { Config } from './schema.js'

type AgentDefaults = NonNullable<NonNullable<Config['agents']>['defaults']>

/** A validated config after the load-time defaults every consumer relies on. */
export type ResolvedConfig = Config & {
  agents: NonNullable<Config['agents']> & {
    defaults: AgentDefaults & {
      maxConcurrent: number
      subagents: NonNullable<AgentDefaults['subagents']> & { maxConcurrent: number }
      compaction: NonNullable<AgentDefaults['compaction']> & { mode: 'default' | 'safeguard' }
    }
  }
  messages: NonNullable<Config['messages']> & {
    ackReactionScope: NonNullable<NonNullable<Config['messages']>['ackReactionScope']>
  }
  commands: NonNullable<Config['commands']> & { native: boolean | 'auto'; nativeSkills: boolean | 'auto' }
}

/** Size of the global `main` lane, as upstream's code has it (its docs say 1; the code wins). */
export const DEFAULT_MAX_CONCURRENT = 4
/** Size of the `subagent` lane. */
export const DEFAULT_SUBAGENT_MAX_CONCURRENT = 8

/** Built-in model aliases, attached to matching `agents.defaults.models` entries that have none. */
export const BUILT_IN_MODEL_ALIASES: Readonly<Record<string, string>> = {
  opus: 'anthropic/claude-opus-4-5',
  sonnet: 'anthropic/claude-sonnet-4-5',
  gpt: 'openai/gpt-5.2',
  'gpt-mini': 'openai/gpt-5-mini',
  gemini: 'google/gemini-3-pro-preview',
  'gemini-flash': 'google/gemini-3-flash-preview',
}

const DEFAULT_PRIMARY_MODEL = 'anthropic/claude-opus-4-5'

/**
 * Applies upstream's post-validation defaults, in upstream's order. They change behaviour (lane
 * sizes, heartbeat cadence, prompt caching), so they are replicated rather than left implicit.
 */
export function applyDefaults(
  config: Config,
  env: Record<string, string | undefined>,
): { config: ResolvedConfig; warnings: string[] } {
  const next = structuredClone(config)
  const warnings: string[] = []

  next.messages = { ...next.messages, ackReactionScope: next.messages?.ackReactionScope ?? 'group-mentions' }
  next.commands = {
    ...next.commands,
    native: next.commands?.native ?? 'auto',
    nativeSkills: next.commands?.nativeSkills ?? 'auto',
  }

  if (next.session?.mainKey !== undefined) {
    const requested = next.session.mainKey.trim()
    if (requested !== '' && requested !== 'main') {
      warnings.push('session.mainKey is ignored; main session is always "main".')
    }
    next.session.mainKey = 'main'
  }

  // Creating agents.defaults here means the later "when agents.defaults exists" defaults always apply, as upstream.
  const agents = (next.agents ??= {})
  const defaults = (agents.defaults ??= {})
  defaults.maxConcurrent ??= DEFAULT_MAX_CONCURRENT
  defaults.subagents = {
    ...defaults.subagents,
    maxConcurrent: defaults.subagents?.maxConcurrent ?? DEFAULT_SUBAGENT_MAX_CONCURRENT,
  }

  applyAnthropicDefaults(defaults, resolveAnthropicAuthMode(next, env))
  defaults.compaction = { ...defaults.compaction, mode: defaults.compaction?.mode ?? 'safeguard' }
  attachBuiltInAliases(defaults)

  return { config: next as ResolvedConfig, warnings }
}

type AnthropicAuthMode = 'api_key' | 'oauth'

/** Profiles decide first (explicit order, then the kinds present), then the ANTHROPIC_* variables. */
function resolveAnthropicAuthMode(
  config: Config,
  env: Record<string, string | undefined>,
): AnthropicAuthMode | undefined {
  const profiles = config.auth?.profiles ?? {}
  const modeOf = (kind: string): AnthropicAuthMode => (kind === 'api_key' ? 'api_key' : 'oauth')
  for (const profileId of config.auth?.order?.anthropic ?? []) {
    const profile = profiles[profileId]
    if (profile?.provider === 'anthropic') return modeOf(profile.mode)
  }
  const kinds = new Set(
    Object.values(profiles)
      .filter((profile) => profile.provider === 'anthropic')
      .map((profile) => modeOf(profile.mode)),
  )
  if (kinds.size === 1) return [...kinds][0]
  if (env.ANTHROPIC_OAUTH_TOKEN?.trim()) return 'oauth'
  if (env.ANTHROPIC_API_KEY?.trim()) return 'api_key'
  return undefined
}

function applyAnthropicDefaults(defaults: AgentDefaults, mode: AnthropicAuthMode | undefined): void {
  if (mode === undefined) return
  if (defaults.contextPruning?.mode === undefined) {
    const ttl = defaults.contextPruning?.ttl ?? '1h'
    defaults.contextPruning = { ...defaults.contextPruning, mode: 'cache-ttl', ttl }
  }
  // DEVIATION: upstream also turns heartbeats on here (30m with an API key, 1h with a token). Here they stay off
  // until the config sets `heartbeat.every`: an unasked-for model call every half hour costs the user money.
  if (mode !== 'api_key') return
  const primary = defaults.model?.primary ?? DEFAULT_PRIMARY_MODEL
  const entry = defaults.models?.[primary]
  // DEVIATION: only an existing entry is touched. Adding one would turn an empty models map into a
  // one-model allowlist and silently disable every configured fallback.
  if (entry === undefined || primary.split('/')[0].toLowerCase() !== 'anthropic') return
  if (typeof entry.params?.cacheControlTtl !== 'string') entry.params = { ...entry.params, cacheControlTtl: '1h' }
}

function attachBuiltInAliases(defaults: AgentDefaults): void {
  const models = defaults.models
  if (models === undefined) return
  for (const [alias, modelRef] of Object.entries(BUILT_IN_MODEL_ALIASES)) {
    const entry = models[modelRef]
    if (entry === undefined || entry.alias !== undefined) continue
    const taken = Object.values(models).some((other) => other.alias?.toLowerCase() === alias)
    if (!taken) entry.alias = alias
  }
}
