import type { ResolvedConfig } from '../config/load-config.js'
import { AppError } from '../errors.js'
import { createAnthropicProvider } from './anthropic-provider.js'
import { findCustomProvider } from './find-custom-provider.js'
import type { ModelProvider, ProviderApi } from './model-provider.js'
import { createOpenAiProvider } from './openai-provider.js'
import { getCatalogProvider, PROVIDER_CATALOG } from './provider-catalog.js'
import { resolveApiKey } from './resolve-api-key.js'

/** What {@link createProvider} needs from the outside world. */
export interface CreateProviderContext {
  config: ResolvedConfig
  env: Record<string, string | undefined>
  fetch: typeof fetch
  /** The agent's directory (see `ApiKeyContext.agentDir`). */
  agentDir?: string
  /** Per-request timeout; defaults to 600 000 ms, the agent run timeout. */
  timeoutMs?: number
  /** SDK retries; defaults to 0 because failover retries, and SDK retries would hide 429/529 from it. */
  maxRetries?: number
}

/** Default per-request timeout handed to the SDKs. */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 600_000

/**
 * Builds the adapter for a provider id: a `models.providers` entry first, then the built-in catalog. Throws
 * `MissingApiKeyError` when the provider needs a key nobody supplied, and an `AppError` for unknown providers.
 * @see spec/config-and-runtime.md §6.1
 */
export function createProvider(providerId: string, context: CreateProviderContext): ModelProvider {
  const custom = findCustomProvider(context.config, providerId)
  const builtIn = getCatalogProvider(providerId)
  if (custom === undefined && builtIn === undefined) {
    const known = Object.keys(PROVIDER_CATALOG).join(', ')
    const fix = `add it under models.providers.${providerId} with api and baseUrl, or use one of: ${known}.`
    throw new AppError('provider_failed', `Unknown model provider "${providerId}": ${fix}`)
  }
  const api = toSupportedApi(providerId, custom?.api ?? builtIn?.api ?? 'openai-completions')
  const baseUrlFromEnv = builtIn?.baseUrlEnv === undefined ? undefined : context.env[builtIn.baseUrlEnv]?.trim()
  const common = {
    id: providerId,
    apiKey: resolveApiKey(providerId, context),
    baseUrl: custom?.baseUrl ?? (baseUrlFromEnv || builtIn?.baseUrl),
    headers: custom?.headers,
    fetch: context.fetch,
    timeoutMs: context.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS,
    maxRetries: context.maxRetries ?? 0,
  }
  if (api === 'anthropic-messages') return createAnthropicProvider(common)
  return createOpenAiProvider({ ...common, maxTokensField: builtIn?.maxTokensField })
}

function toSupportedApi(providerId: string, api: string): ProviderApi {
  // Servers that speak the Responses API also speak Chat Completions, which is all we send.
  if (api === 'openai-completions' || api === 'openai-responses') return 'openai-completions'
  if (api === 'anthropic-messages') return 'anthropic-messages'
  const fix = `set models.providers.${providerId}.api to openai-completions or anthropic-messages.`
  throw new AppError('provider_failed', `Model provider "${providerId}" uses api "${api}", which is not supported: ${fix}`)
}
