import type { ResolvedConfig } from '../config/load-config.js'
import { isModelAllowed, notAllowedMessage, parseModelRef, resolveEffectiveModel, resolveFallbacks } from './model-ref.js'

/**
 * The ordered, deduplicated model chain for one turn: the effective model, then the fallbacks (the agent's list
 * replaces the global one), then the global primary when the agent has no model of its own. Fallbacks outside the
 * `agents.defaults.models` allowlist are skipped silently; a session override outside it is refused.
 * @see spec/config-and-runtime.md §6.1, §6.3
 */
export function resolveCandidates(
  config: ResolvedConfig,
  agentId: string,
  override: string | undefined,
): { ok: true; refs: string[] } | { ok: false; message: string } {
  if (override) {
    const ref = parseModelRef(override, config).ref
    if (!isModelAllowed(ref, config)) return { ok: false, message: notAllowedMessage(ref) }
  }
  const effective = parseModelRef(resolveEffectiveModel({ config, agentId, sessionOverride: override }), config).ref
  const agent = config.agents?.list?.find((entry) => entry.id === agentId)
  const globalPrimary = config.agents?.defaults?.model?.primary
  const rest = [...resolveFallbacks({ config, agentId }), ...(agent?.model === undefined && globalPrimary ? [globalPrimary] : [])]
  const refs = [effective]
  for (const candidate of rest) {
    const ref = parseModelRef(candidate, config).ref
    if (!refs.includes(ref) && isModelAllowed(ref, config)) refs.push(ref)
  }
  return { ok: true, refs }
}
