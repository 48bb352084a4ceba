import type { Config } from '../config/schema.js'
import { findCustomProvider } from '../providers/find-custom-provider.js'
import { getCatalogProvider, PROVIDER_CATALOG } from '../providers/provider-catalog.js'
import { isModelAllowed, notAllowedMessage, parseModelRef } from './model-ref.js'

/** The verdict on a model a user picked (`/new <model>`, `/model`, `sessions.patch`). */
export type ModelChoice = { ok: true; ref: string; warning?: string } | { ok: false; message: string }

/**
 * Checks a user's model choice before anything is stored: an unknown provider or a model outside the allowlist is
 * refused; a model id the catalog (or the provider's `models.providers` list) does not know is allowed, since
 * providers add models faster than catalogs, but gets a warning naming the closest known ids.
 */
export function checkModelChoice(text: string, config: Config): ModelChoice {
  const { provider, model, ref } = parseModelRef(text, config)
  const custom = findCustomProvider(config, provider)
  const builtIn = getCatalogProvider(provider)
  if (custom === undefined && builtIn === undefined) {
    const known = [...Object.keys(PROVIDER_CATALOG), ...Object.keys(config.models?.providers ?? {})]
    return {
      ok: false,
      message:
        `Unknown model provider "${provider}"; nothing was changed. ` +
        `Use one of: ${[...new Set(known)].join(', ')}, or add it under models.providers.${provider} in the config.`,
    }
  }
  if (!isModelAllowed(ref, config)) return { ok: false, message: notAllowedMessage(ref) }
  const knownModels = [...(custom?.models ?? []).map((entry) => entry.id), ...Object.keys(builtIn?.contextWindows ?? {})]
  // An empty list (OpenRouter, a provider without listed models) means "anything goes", not "nothing is known".
  if (knownModels.length === 0 || knownModels.includes(model)) return { ok: true, ref }
  const close = closestMatches(model, knownModels)
  const hint =
    close.length > 0
      ? ` Did you mean ${close.map((id) => `${provider}/${id}`).join(', ')}?`
      : ` Known ${provider} models: ${knownModels.slice(0, 5).map((id) => `${provider}/${id}`).join(', ')}.`
  return { ok: true, ref, warning: `Model "${ref}" is not in the model catalog; using it anyway.${hint}` }
}

// Ranked by edit distance relative to length, so a typo or a version suffix still finds its model.
function closestMatches(wanted: string, candidates: string[]): string[] {
  const scored = [...new Set(candidates)].map((candidate) => ({ candidate, score: distance(wanted.toLowerCase(), candidate.toLowerCase()) / Math.max(wanted.length, candidate.length) }))
  return scored
    .filter((entry) => entry.score <= 0.6)
    .sort((left, right) => left.score - right.score)
    .slice(0, 3)
    .map((entry) => entry.candidate)
}

function distance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index)
  for (let row = 1; row <= left.length; row++) {
    const current = [row]
    for (let column = 1; column <= right.length; column++) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1
      current[column] = Math.min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + cost)
    }
    previous = current
  }
  return previous[right.length]
}
