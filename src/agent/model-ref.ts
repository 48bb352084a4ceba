import { normalizeAgentId } from '../config/config-lookup.js'
import type { Config } from '../config/schema.js'
import { AppError } from '../errors.js'
import { findCustomProvider } from '../providers/find-custom-provider.js'
import { normalizeProviderId } from '../providers/normalize-provider-id.js'
import { catalogContextWindow, DEFAULT_CONTEXT_WINDOW } from '../providers/provider-catalog.js'

/** A model reference split into its provider and the provider's own model id. */
export interface ModelRef {
  provider: string
  model: string
  /** The canonical `provider/model` form. */
  ref: string
  /** Set when the text had no provider and none could be inferred from an alias. */
  warning?: string
}

/** The model used when neither the session, the agent nor the defaults name one. */
export const DEFAULT_MODEL_REF = 'anthropic/claude-opus-4-5'

// Shorthands upstream accepts for Anthropic models (spec §6.1).
const ANTHROPIC_MODEL_ALIASES: Readonly<Record<string, string>> = {
  'opus-4.5': 'claude-opus-4-5',
  'sonnet-4.5': 'claude-sonnet-4-5',
}

/**
 * Parses `provider/model` (split on the first `/`), an alias from `agents.defaults.models`, or a bare model id,
 * which falls back to Anthropic with a warning.
 * @see spec/config-and-runtime.md §6.1
 */
export function parseModelRef(text: string, config: Config): ModelRef {
  const trimmed = text.trim()
  const slash = trimmed.indexOf('/')
  if (slash >= 0) {
    const provider = normalizeProviderId(trimmed.slice(0, slash))
    const model = trimmed.slice(slash + 1).trim()
    if (provider === '' || model === '') {
      throw new AppError('bad_request', '[model] a model ref needs both parts: provider/model')
    }
    return toModelRef(provider, model)
  }
  if (trimmed === '') throw new AppError('bad_request', '[model] the model ref is empty')
  const aliased = findAliasTarget(trimmed, config)
  if (aliased !== undefined && aliased.includes('/')) return parseModelRef(aliased, config)
  const parsed = toModelRef('anthropic', trimmed)
  const warning = `Model "${trimmed}" specified without provider. Falling back to "${parsed.ref}".`
  return { ...parsed, warning }
}

/** The model ref an agent runs with: session override, then the agent's model, then the defaults. */
export function resolveEffectiveModel(options: { config: Config; agentId: string; sessionOverride?: string }): string {
  const { config } = options
  const agentModel = findAgent(config, options.agentId)?.model
  const agentPrimary = typeof agentModel === 'string' ? agentModel : agentModel?.primary
  const chosen = [options.sessionOverride, agentPrimary, config.agents?.defaults?.model?.primary].find(
    (candidate) => candidate !== undefined && candidate.trim() !== '',
  )
  return parseModelRef(chosen ?? DEFAULT_MODEL_REF, config).ref
}

/**
 * The agent's fallback refs: its own `model.fallbacks` replaces the global list, even when empty. Refs outside the
 * allowlist are dropped silently and duplicates removed, as spec §6.1 asks.
 */
export function resolveFallbacks(options: { config: Config; agentId: string }): string[] {
  const { config } = options
  const agentModel = findAgent(config, options.agentId)?.model
  const own = typeof agentModel === 'object' ? agentModel.fallbacks : undefined
  const refs = (own ?? config.agents?.defaults?.model?.fallbacks ?? []).map((text) => parseModelRef(text, config).ref)
  return [...new Set(refs)].filter((ref) => isModelAllowed(ref, config))
}

/** Whether a ref may be used: always, unless `agents.defaults.models` is non-empty and does not list it. */
export function isModelAllowed(ref: string, config: Config): boolean {
  const allowed = allowlist(config)
  return allowed.length === 0 || allowed.includes(parseModelRef(ref, config).ref)
}

/** The message shown when a session asks for a model outside the allowlist. */
export function notAllowedMessage(ref: string): string {
  return `Model "${ref}" is not allowed. Use /model to list available models.`
}

/**
 * Models to offer for `/model`: the allowlist when there is one, otherwise the configured primary, fallbacks and
 * custom provider models.
 */
export function listAllowedModels(config: Config): Array<{ ref: string; alias?: string }> {
  const models = config.agents?.defaults?.models ?? {}
  if (Object.keys(models).length > 0) {
    return Object.entries(models).map(([key, entry]) => {
      const ref = parseModelRef(key, config).ref
      return entry.alias === undefined ? { ref } : { ref, alias: entry.alias }
    })
  }
  const defaults = config.agents?.defaults?.model
  const refs = [defaults?.primary ?? DEFAULT_MODEL_REF, ...(defaults?.fallbacks ?? [])]
  for (const [providerId, provider] of Object.entries(config.models?.providers ?? {})) {
    refs.push(...provider.models.map((model) => `${providerId}/${model.id}`))
  }
  return [...new Set(refs.map((text) => parseModelRef(text, config).ref))].map((ref) => ({ ref }))
}

/** The model's context window: its `models.providers` entry, then the catalog, then 200 000. */
export function contextWindowFor(ref: string, config: Config): number {
  const { provider, model } = parseModelRef(ref, config)
  const custom = findCustomProvider(config, provider)?.models.find((entry) => entry.id === model)
  return custom?.contextWindow ?? catalogContextWindow(provider, model) ?? DEFAULT_CONTEXT_WINDOW
}

function toModelRef(provider: string, rawModel: string): ModelRef {
  const lowered = rawModel.toLowerCase()
  const isShorthand = provider === 'anthropic' && Object.hasOwn(ANTHROPIC_MODEL_ALIASES, lowered)
  const model = isShorthand ? ANTHROPIC_MODEL_ALIASES[lowered] : rawModel
  return { provider, model, ref: `${provider}/${model}` }
}

function findAliasTarget(alias: string, config: Config): string | undefined {
  const wanted = alias.toLowerCase()
  const models = config.agents?.defaults?.models ?? {}
  return Object.keys(models).find((key) => models[key].alias?.trim().toLowerCase() === wanted)
}

function allowlist(config: Config): string[] {
  return Object.keys(config.agents?.defaults?.models ?? {}).map((key) => parseModelRef(key, config).ref)
}

type AgentEntry = NonNullable<NonNullable<Config['agents']>['list']>[number]

function findAgent(config: Config, agentId: string): AgentEntry | undefined {
  const wanted = normalizeAgentId(agentId)
  return config.agents?.list?.find((agent) => normalizeAgentId(agent.id) === wanted)
}

/**
 * Whether a model takes images. Only a `models.providers` entry can say no (`input: ["text"]`); built-in providers'
 * chat models are assumed to see images, and the provider's own error covers the rare exception.
 */
export function acceptsImages(ref: string, config: Config): boolean {
  const parsed = parseModelRef(ref, config)
  const model = findCustomProvider(config, parsed.provider)?.models?.find((entry) => entry.id === parsed.model)
  return model?.input === undefined || model.input.includes('image')
}
