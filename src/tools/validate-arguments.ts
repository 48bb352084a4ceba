/*
 * JSON Schema validation of tool arguments with AJV's behaviour and messages (type coercion on, all errors
 * collected), for the subset of JSON Schema tools use. AJV itself compiles validators with generated code, which
 * Workers forbid, so this walks the schema instead.
 * @see spec/agent-tools.md §1.2
 */

type Schema = Record<string, unknown>
interface Issue {
  path: string
  message: string
}

/** Validates (and coerces in place) `args`; returns upstream's failure text, or undefined when valid. */
export function validateArguments(toolName: string, schema: Schema, args: Record<string, unknown>): string | undefined {
  const received = JSON.stringify(args, null, 2)
  const issues: Issue[] = []
  const holder = { value: args as unknown }
  check(schema, holder, '', issues)
  if (issues.length === 0) return undefined
  const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`)
  return `Validation failed for tool "${toolName}":\n${lines.join('\n')}\n\nReceived arguments:\n${received}`
}

// `holder.value` is replaced when coercion changes the type, so parents see the coerced value.
function check(schema: Schema, holder: { value: unknown }, path: string, issues: Issue[]): void {
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const options = (schema.anyOf ?? schema.oneOf) as Schema[]
    for (const option of options) {
      const trial = { value: structuredClone(holder.value) }
      const found: Issue[] = []
      check(option, trial, path, found)
      if (found.length === 0) {
        holder.value = trial.value
        return
      }
    }
    issues.push({ path: label(path), message: `must match a schema in ${schema.anyOf ? 'anyOf' : 'oneOf'}` })
    return
  }
  const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? (schema.type as string[]) : []
  if (types.length > 0 && !types.some((type) => matches(type, holder.value))) {
    const coerced = coerce(types, holder.value)
    if (coerced.ok) holder.value = coerced.value
    else return void issues.push({ path: label(path), message: `must be ${types.join(',')}` })
  }
  const value = holder.value
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => allowed === value)) {
    issues.push({ path: label(path), message: 'must be equal to one of the allowed values' })
  }
  if ('const' in schema && schema.const !== value) issues.push({ path: label(path), message: 'must be equal to constant' })
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) issues.push({ path: label(path), message: `must be >= ${schema.minimum}` })
    if (typeof schema.maximum === 'number' && value > schema.maximum) issues.push({ path: label(path), message: `must be <= ${schema.maximum}` })
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) issues.push({ path: label(path), message: `must NOT have fewer than ${schema.minLength} characters` })
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) issues.push({ path: label(path), message: `must NOT have more than ${schema.maxLength} characters` })
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) issues.push({ path: label(path), message: `must NOT have fewer than ${schema.minItems} items` })
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) issues.push({ path: label(path), message: `must NOT have more than ${schema.maxItems} items` })
    if (schema.items && typeof schema.items === 'object') {
      value.forEach((item, index) => {
        const child = { value: item }
        check(schema.items as Schema, child, `${path}/${index}`, issues)
        value[index] = child.value
      })
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>
    const properties = (schema.properties ?? {}) as Record<string, Schema>
    for (const name of (schema.required ?? []) as string[]) {
      if (record[name] === undefined) issues.push({ path: path ? `${path.slice(1)}` : name, message: `must have required property '${name}'` })
    }
    for (const [name, child] of Object.entries(record)) {
      if (properties[name]) {
        const holderOfChild = { value: child }
        check(properties[name], holderOfChild, `${path}/${name}`, issues)
        record[name] = holderOfChild.value
      } else if (schema.additionalProperties === false) {
        issues.push({ path: label(path), message: 'must NOT have additional properties' })
      }
    }
  }
}

// AJV reports the instance path without its leading slash, or "root" for the arguments object itself.
function label(path: string): string {
  return path === '' ? 'root' : path.slice(1)
}

function matches(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'array':
      return Array.isArray(value)
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
    case 'null':
      return value === null
    default:
      return true
  }
}

// AJV's `coerceTypes: true` table: scalars convert between string, number, integer, boolean and null.
function coerce(types: string[], value: unknown): { ok: true; value: unknown } | { ok: false } {
  for (const type of types) {
    if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return { ok: true, value: String(value) }
    if (type === 'string' && value === null) return { ok: true, value: '' }
    if ((type === 'number' || type === 'integer') && (typeof value === 'string' || typeof value === 'boolean' || value === null)) {
      const number = typeof value === 'string' ? (value.trim() === '' ? Number.NaN : Number(value)) : Number(value)
      if (Number.isFinite(number) && (type === 'number' || Number.isInteger(number))) return { ok: true, value: number }
    }
    if (type === 'boolean') {
      if (value === 'true' || value === 1) return { ok: true, value: true }
      if (value === 'false' || value === 0 || value === null) return { ok: true, value: false }
    }
    if (type === 'null' && (value === '' || value === 0 || value === false)) return { ok: true, value: null }
  }
  return { ok: false }
}
