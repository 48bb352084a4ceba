import type { AppDeps } from '../deps.js'
import { envValuesOf, isSecretEnvName } from '../config/env-values.js'

/**
 * Replaces values that came from environment variables with their `${NAME}` reference in everything sent to clients
 * (control-socket frames, HTTP JSON), whichever field they landed in: an agent name, a model ref, an error message.
 * Masked are the values the config substituted and the values of secret-named variables (`*_API_KEY`, `*_TOKEN`, …).
 */
export interface EnvMasker {
  /** A deep copy of a JSON value with env values masked in every string and key. */
  maskValue<T>(value: T): T
  /** Masks raw and JSON-escaped occurrences in already serialized text. */
  maskText(text: string): string
}

// Shorter substituted values (ports, "true", "main") are not secrets and would mask unrelated text everywhere.
const MIN_MASKED_LENGTH = 8
const MIN_SECRET_LENGTH = 4

interface Needle {
  value: string
  escaped: string
  reference: string
}

export function createEnvMasker(deps: Pick<AppDeps, 'state' | 'env'>): EnvMasker {
  let cachedFor: object | undefined
  let needles: Needle[] = []
  const current = (): Needle[] => {
    // The config object is replaced on every reload, which is also when the env block may have changed the env.
    if (cachedFor === deps.state.config) return needles
    cachedFor = deps.state.config
    needles = collectNeedles(deps)
    return needles
  }
  const maskString = (text: string, list: Needle[]): string => {
    let masked = text
    for (const needle of list) if (masked.includes(needle.value)) masked = masked.split(needle.value).join(needle.reference)
    return masked
  }
  const walk = (value: unknown, list: Needle[]): unknown => {
    if (typeof value === 'string') return maskString(value, list)
    if (Array.isArray(value)) return value.map((item) => walk(item, list))
    if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value
    const result: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(value)) result[maskString(key, list)] = walk(child, list)
    return result
  }
  return {
    maskValue<T>(value: T): T {
      const list = current()
      return list.length === 0 ? value : (walk(value, list) as T)
    },
    maskText(text) {
      let masked = text
      for (const needle of current()) {
        if (masked.includes(needle.escaped)) masked = masked.split(needle.escaped).join(needle.reference)
        if (masked.includes(needle.value)) masked = masked.split(needle.value).join(needle.reference)
      }
      return masked
    },
  }
}

function collectNeedles(deps: Pick<AppDeps, 'state' | 'env'>): Needle[] {
  const byValue = new Map<string, string>()
  for (const [name, value] of envValuesOf(deps.state.config)) {
    const minimum = isSecretEnvName(name) ? MIN_SECRET_LENGTH : MIN_MASKED_LENGTH
    if (value.length >= minimum) byValue.set(value, name)
  }
  for (const [name, value] of Object.entries(deps.env)) {
    if (value && value.length >= MIN_SECRET_LENGTH && isSecretEnvName(name) && !byValue.has(value)) byValue.set(value, name)
  }
  // Longest first, so a value that contains another is replaced whole.
  return [...byValue]
    .sort(([a], [b]) => b.length - a.length)
    .map(([value, name]) => ({ value, escaped: JSON.stringify(value).slice(1, -1), reference: `\${${name}}` }))
}
