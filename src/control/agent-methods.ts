import { z } from 'zod'
import { getDefaultAgentId, normalizeAgentId } from '../config/config-lookup.js'
import type { ResolvedConfig } from '../config/load-config.js'
import { checkModelChain } from '../agent/model-chain-status.js'
import { MAIN_KEY } from './hello-ok.js'
import { defineMethod, NoParams, type MethodDefinition } from './methods.js'

const DEFAULT_PRIMARY_MODEL = 'anthropic/claude-opus-4-5'
const DEFAULT_ASSISTANT_NAME = 'Assistant'

/** `agents.list`, `agent.identity.get` (header name and avatar, spec §4.0) and `models.list` (spec §4.5). */
export function createAgentMethods(): MethodDefinition[] {
  return [
    defineMethod('agents.list', NoParams, ({ deps }) => {
      const config = deps.state.config
      const agents = (config.agents?.list ?? []).map((agent) => ({
        id: normalizeAgentId(agent.id),
        ...(agent.name ? { name: agent.name } : {}),
        ...(agent.identity ? { identity: agent.identity } : {}),
      }))
      const defaultId = getDefaultAgentId(config)
      return {
        defaultId,
        mainKey: MAIN_KEY,
        scope: config.session?.scope ?? 'per-sender',
        agents: agents.length > 0 ? agents : [{ id: defaultId }],
      }
    }),
    defineMethod('agent.identity.get', z.looseObject({ sessionKey: z.string().optional() }), ({ deps }, params) => {
      const config = deps.state.config
      const agentId = agentIdFromSessionKey(params.sessionKey) ?? getDefaultAgentId(config)
      const agent = config.agents?.list?.find((entry) => normalizeAgentId(entry.id) === agentId)
      const name = agent?.identity?.name ?? agent?.name ?? DEFAULT_ASSISTANT_NAME
      // Short text is a valid avatar; the UI shows an initial when nothing else is configured.
      const avatar = agent?.identity?.avatar ?? agent?.identity?.emoji ?? name.slice(0, 1).toUpperCase()
      return { agentId, name, avatar }
    }),
    // `chain` is ours (upstream clients ignore it): the Overview marks models that cannot be called.
    defineMethod('models.list', NoParams, ({ deps }) => ({
      models: listModels(deps.state.config),
      chain: checkModelChain(deps.state.config, deps.env, getDefaultAgentId(deps.state.config)),
    })),
  ]
}

function agentIdFromSessionKey(sessionKey: string | undefined): string | undefined {
  const match = /^agent:([^:]+):/i.exec(sessionKey ?? '')
  return match ? normalizeAgentId(match[1]) : undefined
}

/** Primary, fallbacks and the `agents.defaults.models` allowlist, each once, with catalog facts where known. */
function listModels(config: ResolvedConfig) {
  const defaults = config.agents?.defaults
  const refs = [defaults?.model?.primary ?? DEFAULT_PRIMARY_MODEL, ...(defaults?.model?.fallbacks ?? []), ...Object.keys(defaults?.models ?? {})]
  return [...new Set(refs)].map((ref) => {
    const slash = ref.indexOf('/')
    // A bare model id means Anthropic, the default provider upstream.
    const provider = slash > 0 ? ref.slice(0, slash) : 'anthropic'
    const id = slash > 0 ? ref.slice(slash + 1) : ref
    const known = config.models?.providers?.[provider]?.models.find((model) => model.id === id)
    const alias = defaults?.models?.[ref]?.alias
    return {
      id,
      name: known?.name ?? id,
      provider,
      ...(alias ? { alias } : {}),
      ...(known?.contextWindow ? { contextWindow: known.contextWindow } : {}),
      ...(known?.reasoning !== undefined ? { reasoning: known.reasoning } : {}),
    }
  })
}
