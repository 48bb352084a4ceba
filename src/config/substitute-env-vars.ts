import { childPath, isPlainObject, type ConfigIssue } from './config-issue.js'

// `$${NAME}` is an escape for a literal `${NAME}`; lower-case names are never substituted.
const REFERENCE = /(\$?)\$\{([A-Z_][A-Z0-9_]*)\}/g

/**
 * Replaces `${NAME}` in every string of the config with the variable's value. A missing or empty
 * variable is an issue at the config path that referenced it; the value itself is never reported.
 */
export function substituteEnvVars(
  value: unknown,
  env: Record<string, string | undefined>,
): { value: unknown; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = []
  return { value: visit(value, '', env, issues), issues }
}

function visit(value: unknown, path: string, env: Record<string, string | undefined>, issues: ConfigIssue[]): unknown {
  if (typeof value === 'string') return substituteString(value, path, env, issues)
  if (Array.isArray(value)) return value.map((item, index) => visit(item, childPath(path, index), env, issues))
  if (!isPlainObject(value)) return value
  const result: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) result[key] = visit(child, childPath(path, key), env, issues)
  return result
}

function substituteString(
  text: string,
  path: string,
  env: Record<string, string | undefined>,
  issues: ConfigIssue[],
): string {
  return text.replace(REFERENCE, (match, escape: string, name: string) => {
    if (escape === '$') return match.slice(1)
    const replacement = env[name]
    if (replacement === undefined || replacement === '') {
      issues.push({ path, message: `Missing env var "${name}" referenced at config path: ${path}` })
      return match
    }
    return replacement
  })
}
