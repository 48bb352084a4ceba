import type { ResolvedConfig } from '../config/load-config.js'
import { findCustomProvider } from '../providers/find-custom-provider.js'
import { MissingApiKeyError } from '../providers/missing-api-key-error.js'
import { getCatalogProvider } from '../providers/provider-catalog.js'
import { resolveApiKey } from '../providers/resolve-api-key.js'
import { parseModelRef } from './model-ref.js'
import { resolveCandidates } from './resolve-candidates.js'

/** One model of the chain and whether a run could call it (a known provider with a key, or one that needs none). */
export interface ModelStatus {
  ref: string
  role: 'primary' | 'fallback'
  usable: boolean
  /** Why not, and how to fix it. */
  problem?: string
}

/** The default agent's model chain and whether any model in it can be called at all. */
export interface ModelChainStatus {
  usable: boolean
  models: ModelStatus[]
}

/**
 * Checks the default agent's model chain without calling any provider: each model needs a known provider and a key
 * (or a provider that needs none). Start-up, `/api/health`, the Overview and `doctor` all report it, so a missing key
 * shows up before the first chat fails.
 */
export function checkModelChain(config: ResolvedConfig, env: Record<string, string | undefined>, agentId: string): ModelChainStatus {
  const candidates = resolveCandidates(config, agentId, undefined)
  if (!candidates.ok) return { usable: false, models: [] }
  const models = candidates.refs.map((ref, index): ModelStatus => {
    const role = index === 0 ? 'primary' : 'fallback'
    const problem = modelProblem(ref, config, env)
    return problem === undefined ? { ref, role, usable: true } : { ref, role, usable: false, problem }
  })
  return { usable: models.some((model) => model.usable), models }
}

function modelProblem(ref: string, config: ResolvedConfig, env: Record<string, string | undefined>): string | undefined {
  const { provider } = parseModelRef(ref, config)
  if (findCustomProvider(config, provider) === undefined && getCatalogProvider(provider) === undefined) {
    return `unknown provider "${provider}": add it under models.providers.${provider} or pick another model`
  }
  try {
    resolveApiKey(provider, { config, env })
    return undefined
  } catch (error) {
    if (error instanceof MissingApiKeyError) return error.message
    throw error
  }
}
