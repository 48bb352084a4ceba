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
): { value: unknown; issues: ConfigIssue[]; substituted: Map<string, string> } {
  const context: Context = { env, issues: [], substituted: new Map() }
  return { value: visit(value, '', context), issues: context.issues, substituted: context.substituted }
}

interface Context {
  env: Record<string, string | undefined>
  issues: ConfigIssue[]
  /** Name → value of every variable substituted, so clients can be shown `${NAME}` instead of the value. */
  substituted: Map<string, string>
}

// Fields whose whole purpose is to be shown (UI header, Discord reply prefix): an env value there would be on
// screen for every client, so a reference is refused instead of masked.
const DISPLAY_FIELDS = [/^agents\.list\.\d+\.name$/, /^agents\.list\.\d+\.identity\./, /^messages\.(responsePrefix|messagePrefix)$/]

function visit(value: unknown, path: string, context: Context): unknown {
  if (typeof value === 'string') return substituteString(value, path, context)
  if (Array.isArray(value)) return value.map((item, index) => visit(item, childPath(path, index), context))
  if (!isPlainObject(value)) return value
  const result: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) result[key] = visit(child, childPath(path, key), context)
  return result
}

function substituteString(text: string, path: string, context: Context): string {
  return text.replace(REFERENCE, (match, escape: string, name: string) => {
    if (escape === '$') return match.slice(1)
    if (DISPLAY_FIELDS.some((field) => field.test(path))) {
      context.issues.push({
        path,
        message: `Env var "${name}" referenced at config path: ${path}; this field is shown to clients, so env references are not allowed here (write the text itself)`,
      })
      return match
    }
    const replacement = context.env[name]
    if (replacement === undefined || replacement === '') {
      context.issues.push({ path, message: `Missing env var "${name}" referenced at config path: ${path}` })
      return match
    }
    context.substituted.set(name, replacement)
    return replacement
  })
}
