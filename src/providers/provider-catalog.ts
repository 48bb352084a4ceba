import type { ProviderApi } from './model-provider.js'

/** A provider the gateway can call without any `models.providers` entry. */
export interface CatalogProvider {
  id: string
  api: ProviderApi
  baseUrl: string
  /** Env var that overrides `baseUrl` (below `models.providers.<id>.baseUrl`). */
  baseUrlEnv?: string
  /** Which Chat Completions field carries the output limit; OpenAI's reasoning models reject `max_tokens`. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens'
  /** Context windows of well-known models, in tokens. */
  contextWindows: Readonly<Record<string, number>>
}

/** Context window assumed for any model nobody told us about (spec §6.1). */
export const DEFAULT_CONTEXT_WINDOW = 200_000

const GEMINI_WINDOW = 1_048_576

/** The built-in providers, keyed by provider id. */
export const PROVIDER_CATALOG: Readonly<Record<string, CatalogProvider>> = {
  anthropic: {
    id: 'anthropic',
    api: 'anthropic-messages',
    baseUrl: 'https://api.anthropic.com',
    baseUrlEnv: 'ANTHROPIC_BASE_URL',
    contextWindows: { 'claude-opus-4-5': 200_000, 'claude-sonnet-4-5': 200_000, 'claude-haiku-4-5': 200_000 },
  },
  openai: {
    id: 'openai',
    api: 'openai-completions',
    baseUrl: 'https://api.openai.com/v1',
    baseUrlEnv: 'OPENAI_BASE_URL',
    maxTokensField: 'max_completion_tokens',
    contextWindows: {
      'gpt-5.2': 400_000,
      'gpt-5': 400_000,
      'gpt-5-mini': 400_000,
      'gpt-4.1': 1_047_576,
      'gpt-4o': 128_000,
      'gpt-4o-mini': 128_000,
      o3: 200_000,
    },
  },
  google: {
    id: 'google',
    api: 'openai-completions',
    // DEVIATION (spec §6.1): Gemini through its OpenAI-compatible endpoint; the stack has no Gemini SDK.
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    contextWindows: {
      'gemini-3-pro-preview': GEMINI_WINDOW,
      'gemini-3-flash-preview': GEMINI_WINDOW,
      'gemini-2.5-pro': GEMINI_WINDOW,
      'gemini-2.5-flash': GEMINI_WINDOW,
    },
  },
  openrouter: { id: 'openrouter', api: 'openai-completions', baseUrl: 'https://openrouter.ai/api/v1', contextWindows: {} },
  groq: {
    id: 'groq',
    api: 'openai-completions',
    baseUrl: 'https://api.groq.com/openai/v1',
    contextWindows: { 'llama-3.3-70b-versatile': 131_072, 'openai/gpt-oss-120b': 131_072 },
  },
  xai: { id: 'xai', api: 'openai-completions', baseUrl: 'https://api.x.ai/v1', contextWindows: { 'grok-4': 256_000 } },
  mistral: {
    id: 'mistral',
    api: 'openai-completions',
    baseUrl: 'https://api.mistral.ai/v1',
    contextWindows: { 'mistral-large-latest': 128_000, 'codestral-latest': 256_000 },
  },
  cerebras: {
    id: 'cerebras',
    api: 'openai-completions',
    baseUrl: 'https://api.cerebras.ai/v1',
    contextWindows: { 'gpt-oss-120b': 131_072 },
  },
}

/** The catalog's context window for `provider/model`, or undefined when the catalog does not know the model. */
export function catalogContextWindow(providerId: string, model: string): number | undefined {
  const provider = Object.hasOwn(PROVIDER_CATALOG, providerId) ? PROVIDER_CATALOG[providerId] : undefined
  const known = provider !== undefined && Object.hasOwn(provider.contextWindows, model)
  if (known) return provider.contextWindows[model]
  // OpenRouter ids name the vendor (`anthropic/claude-opus-4-5`), so the vendor's entry applies.
  const slash = model.indexOf('/')
  if (providerId === 'openrouter' && slash > 0) return catalogContextWindow(model.slice(0, slash), model.slice(slash + 1))
  return undefined
}

/** The built-in provider with this id, if there is one. */
export function getCatalogProvider(providerId: string): CatalogProvider | undefined {
  return Object.hasOwn(PROVIDER_CATALOG, providerId) ? PROVIDER_CATALOG[providerId] : undefined
}
