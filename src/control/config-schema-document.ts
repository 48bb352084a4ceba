import { z } from 'zod'
import { ConfigSchema } from '../config/schema.js'

/** Form hints keyed by dotted path, `*` standing for any key or array index (spec §4.3). */
export type UiHints = Record<string, { sensitive?: boolean; label?: string; help?: string }>

type JsonSchema = Record<string, unknown>

// Field names that hold credentials; the form masks them (we never redact them in `config.get`, see spec §4.3).
const SENSITIVE_KEY = /(token|password|secret|api[-_]?key)$/i

/** Draft-07 JSON Schema of the config file plus `uiHints` marking secret fields, for the Config tab's form. */
export function buildConfigSchemaDocument(): { schema: JsonSchema; uiHints: UiHints } {
  const generated = z.toJSONSchema(ConfigSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchema
  const schema = simplify(generated) as JsonSchema
  const uiHints: UiHints = {}
  collectHints(schema, [], uiHints)
  // The `env` block is where people put provider keys, under any name.
  for (const path of ['env.*', 'env.vars.*']) uiHints[path] = { sensitive: true }
  return { schema, uiHints }
}

/**
 * zod writes a union of string literals as `anyOf` of `const`s, which the form flags as unsupported; an `enum`
 * says the same and renders as a select.
 */
function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify)
  if (typeof node !== 'object' || node === null) return node
  const out: JsonSchema = {}
  for (const [key, value] of Object.entries(node)) out[key] = simplify(value)
  const options = out.anyOf
  if (Array.isArray(options) && options.length > 0 && options.every(isConst)) {
    const types = new Set(options.map((option) => (option as JsonSchema).type))
    if (types.size === 1) {
      const { anyOf: _dropped, ...rest } = out
      return { ...rest, type: [...types][0], enum: options.map((option) => (option as JsonSchema).const) }
    }
  }
  return out
}

function isConst(option: unknown): boolean {
  return typeof option === 'object' && option !== null && 'const' in option && typeof (option as JsonSchema).type === 'string'
}

function collectHints(node: unknown, path: string[], hints: UiHints): void {
  if (typeof node !== 'object' || node === null) return
  const schema = node as JsonSchema
  const properties = schema.properties
  if (typeof properties === 'object' && properties !== null) {
    for (const [key, child] of Object.entries(properties)) {
      const childPath = [...path, key]
      if (SENSITIVE_KEY.test(key)) hints[childPath.join('.')] = { sensitive: true }
      collectHints(child, childPath, hints)
    }
  }
  if (typeof schema.additionalProperties === 'object') collectHints(schema.additionalProperties, [...path, '*'], hints)
  if (typeof schema.items === 'object' && !Array.isArray(schema.items)) collectHints(schema.items, [...path, '*'], hints)
  for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
    const options = schema[keyword]
    if (Array.isArray(options)) for (const option of options) collectHints(option, path, hints)
  }
}
