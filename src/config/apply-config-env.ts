import { isPlainObject } from './config-issue.js'

/** Keys of the `env` block that configure loading instead of naming variables. */
const RESERVED_ENV_KEYS = new Set(['shellEnv', 'vars'])

/**
 * Copies the config `env` block (string keys other than shellEnv/vars, then `env.vars.*`) into `env`,
 * only where the variable is missing or blank, and returns the names it set. Runs before `${VAR}`
 * substitution so the config can refer to its own variables.
 */
export function applyConfigEnv(config: unknown, env: Record<string, string | undefined>): string[] {
  if (!isPlainObject(config) || !isPlainObject(config.env)) return []
  const candidates: [string, unknown][] = Object.entries(config.env).filter(([key]) => !RESERVED_ENV_KEYS.has(key))
  if (isPlainObject(config.env.vars)) candidates.push(...Object.entries(config.env.vars))
  const applied: string[] = []
  for (const [name, value] of candidates) {
    // Non-string values are left for schema validation to report.
    if (typeof value !== 'string') continue
    if ((env[name] ?? '').trim() !== '') continue
    env[name] = value
    if (!applied.includes(name)) applied.push(name)
  }
  return applied
}
