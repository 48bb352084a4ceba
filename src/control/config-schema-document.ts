import { z } from 'zod'
import { ConfigSchema } from '../config/schema.js'
import { buildFormHints, UNUSED_SECTION_HELP, type UiHint } from './config-form-hints.js'
import { UNSUPPORTED_SECTIONS } from '../config/known-ids.js'

/** Form hints keyed by dotted path, `*` standing for any key or array index (spec §4.3). */
export type UiHints = Record<string, UiHint>

type JsonSchema = Record<string, unknown>

// Field names that hold credentials; the form masks them (we never redact them in `config.get`, see spec §4.3).
const SENSITIVE_KEY = /(token|password|secret|api[-_]?key)$/i

/** Draft-07 JSON Schema of the config file plus `uiHints` marking secret fields, for the Config tab's form. */
export function buildConfigSchemaDocument(): { schema: JsonSchema; uiHints: UiHints } {
  const generated = z.toJSONSchema(ConfigSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchema
  const schema = makeFormEditable(simplify(generated)) as JsonSchema
  describeUnusedSections(schema)
  const uiHints: UiHints = buildFormHints()
  collectHints(schema, [], uiHints)
  // The `env` block is where people put provider keys, under any name.
  for (const path of ['env.*', 'env.vars.*']) uiHints[path] = { ...uiHints[path], sensitive: true }
  return { schema, uiHints }
}

/**
 * Rewrites the nodes upstream's form refuses ("can't safely edit") into shapes it edits, without changing what the
 * file may contain (validation uses the zod schema, not this document):
 * - a value we accept as anything (`{}`: upstream sections we ignore, pass-through settings) becomes an open object,
 *   which is what each of them is upstream;
 * - a "string or object" union (model refs: `"a/b"` or `{ primary, fallbacks }`) becomes its object branch, the
 *   shape that can say everything the string can.
 */
function makeFormEditable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(makeFormEditable)
  if (typeof node !== 'object' || node === null) return node
  const out: JsonSchema = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, isAnything(child) ? openObject(child) : makeFormEditable(child)]))
    } else if (key === 'items' && isAnything(value)) {
      out.items = openObject(value)
    } else {
      out[key] = makeFormEditable(value)
    }
  }
  const union = (out.anyOf ?? out.oneOf) as JsonSchema[] | undefined
  if (Array.isArray(union)) {
    const branches = union.filter((branch) => branch.type !== 'null')
    const objectBranch = branches.find((branch) => branch.type === 'object')
    if (objectBranch && branches.length > 1 && branches.every((branch) => branch === objectBranch || typeof branch.type === 'string')) {
      const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = out
      return { ...rest, ...objectBranch }
    }
  }
  return out
}

function isAnything(node: unknown): boolean {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && Object.keys(node).every((key) => ['description', 'title', 'default'].includes(key))
}

function openObject(node: unknown): JsonSchema {
  return { ...(node as JsonSchema), type: 'object', additionalProperties: {} }
}

function describeUnusedSections(schema: JsonSchema): void {
  const properties = schema.properties as Record<string, JsonSchema> | undefined
  for (const key of UNSUPPORTED_SECTIONS) {
    const section = properties?.[key]
    if (section) section.description = UNUSED_SECTION_HELP
  }
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
      if (SENSITIVE_KEY.test(key)) hints[childPath.join('.')] = { ...hints[childPath.join('.')], sensitive: true }
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
