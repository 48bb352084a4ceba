/**
 * The rules by which upstream's Control UI config form decides it "can't safely edit" a schema node (restated from
 * its behaviour, spec/protocol.md §4.3): unions other than literal sets, one type plus null, or all-primitive
 * branches; `allOf`; `additionalProperties: true`; arrays without `items`; and nodes without a usable type. Returns
 * the dotted paths it would flag; `*` stands for a map key or array item.
 */
export function unsupportedFormPaths(schema: unknown): string[] {
  const out = new Set<string>()
  visit(schema as Node, [], out)
  return [...out]
}

type Node = Record<string, any>

const META_KEYS = new Set(['title', 'description', 'default', 'nullable'])
const PRIMITIVES = ['string', 'number', 'integer', 'boolean']

function typeOf(node: Node): string | undefined {
  const type = node?.type
  if (Array.isArray(type)) return type.find((entry: string) => entry !== 'null') ?? 'null'
  return type
}

function isAny(node: Node): boolean {
  return Object.keys(node ?? {}).filter((key) => !META_KEYS.has(key)).length === 0
}

function visit(node: Node, path: string[], out: Set<string>): void {
  const label = path.join('.') || '<root>'
  if (node.anyOf || node.oneOf || node.allOf) {
    if (node.allOf) return void out.add(label)
    const remaining: Node[] = []
    let literals = 0
    for (const entry of node.anyOf ?? node.oneOf) {
      if (Array.isArray(entry.enum) || 'const' in entry) literals++
      else if (typeOf(entry) !== 'null') remaining.push(entry)
    }
    if (literals > 0 && remaining.length === 0) return
    if (remaining.length === 1) return visit(remaining[0], path, out)
    if (remaining.length > 0 && literals === 0 && remaining.every((entry) => PRIMITIVES.includes(String(entry.type)))) return
    return void out.add(label)
  }
  const type = typeOf(node) ?? (node.properties || node.additionalProperties ? 'object' : undefined)
  if (type === 'object') {
    for (const [key, child] of Object.entries(node.properties ?? {})) visit(child as Node, [...path, key], out)
    if (node.additionalProperties === true) out.add(label)
    else if (typeof node.additionalProperties === 'object' && !isAny(node.additionalProperties)) nested(node.additionalProperties, path, label, out)
  } else if (type === 'array') {
    const items = Array.isArray(node.items) ? node.items[0] : node.items
    if (!items) out.add(label)
    else nested(items, path, label, out)
  } else if (!PRIMITIVES.includes(String(type)) && !node.enum) {
    out.add(label)
  }
}

// A map or list whose entries cannot be edited makes the whole map or list uneditable.
function nested(child: Node, path: string[], label: string, out: Set<string>): void {
  const inner = new Set<string>()
  visit(child, [...path, '*'], inner)
  if (inner.size === 0) return
  out.add(label)
  for (const entry of inner) out.add(entry)
}
