import type { z } from 'zod'
import { MethodError } from './methods.js'

/**
 * Parses params of the methods upstream validates with strict TypeBox schemas (`agent`, `agent.wait`, `send`,
 * `poll`) and words failures the way its ajv does, so `gateway call` prints the same text: an unknown key is
 * `at root: unexpected property '<key>'`, a missing one `must have required property '<key>'`, several are joined
 * with `; `. Always `INVALID_REQUEST` with the `invalid <method> params: ` prefix.
 * @see spec/agent-api.md "Schemas"
 */
export function parseMethodParams<Schema extends z.ZodType>(method: string, schema: Schema, raw: unknown): z.output<Schema> {
  const parsed = schema.safeParse(raw ?? {})
  if (parsed.success) return parsed.data
  const texts = parsed.error.issues.map((issue) => toAjvText(issue, raw ?? {}))
  throw new MethodError('INVALID_REQUEST', `invalid ${method} params: ${texts.join('; ')}`)
}

function toAjvText(issue: z.core.$ZodIssue, raw: unknown): string {
  const where = issue.path.length === 0 ? 'at root' : `at /${issue.path.join('/')}`
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${where}: unexpected property '${key}'`).join('; ')
  // zod leaves `input` out of issues, so a missing key is told apart from a wrong type by looking at the params.
  if (issue.code === 'invalid_type' && issue.path.length > 0 && isMissing(raw, issue.path)) {
    const parent = issue.path.length === 1 ? '' : `at /${issue.path.slice(0, -1).join('/')}: `
    return `${parent}must have required property '${String(issue.path.at(-1))}'`
  }
  if (issue.code === 'invalid_type') return `${where}: must be ${issue.expected === 'int' ? 'integer' : issue.expected}`
  if (issue.code === 'too_small' && issue.origin === 'string') return `${where}: must NOT have fewer than ${String(issue.minimum)} characters`
  if (issue.code === 'too_big' && issue.origin === 'string') return `${where}: must NOT have more than ${String(issue.maximum)} characters`
  if (issue.code === 'too_small' && issue.origin === 'array') return `${where}: must NOT have fewer than ${String(issue.minimum)} items`
  if (issue.code === 'too_big' && issue.origin === 'array') return `${where}: must NOT have more than ${String(issue.maximum)} items`
  if (issue.code === 'too_small') return `${where}: must be >= ${String(issue.minimum)}`
  if (issue.code === 'too_big') return `${where}: must be <= ${String(issue.maximum)}`
  return `${where}: ${issue.message}`
}

function isMissing(raw: unknown, path: readonly PropertyKey[]): boolean {
  let parent = raw
  for (const key of path.slice(0, -1)) {
    if (typeof parent !== 'object' || parent === null) return true
    parent = (parent as Record<PropertyKey, unknown>)[key]
  }
  if (typeof parent !== 'object' || parent === null) return true
  return (parent as Record<PropertyKey, unknown>)[path.at(-1)!] === undefined
}
