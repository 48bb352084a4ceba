/** What a mapping's templates can read (spec/agent-api.md §6.5). */
export interface TemplateContext {
  /** The sub-path after the hooks base path, slashes trimmed. */
  path: string
  /** ISO time of the request. */
  now: string
  /** Lower-case header names. */
  headers: Record<string, string>
  query: Record<string, string>
  payload: unknown
}

/**
 * Renders `{{expr}}` placeholders: `path`, `now`, `headers.<name>`, `query.<k>`, `payload.<p>` or just `<p>` with
 * `p` like `a.b[0].c`. Missing values render as `""`, objects as JSON. Only own properties are read, so a template
 * cannot reach prototypes.
 * @example renderTemplate('New mail from {{messages[0].from}}', context)
 */
export function renderTemplate(template: string, context: TemplateContext): string {
  return template.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (_match, expression: string) => toText(evaluate(expression, context)))
}

function evaluate(expression: string, context: TemplateContext): unknown {
  if (expression === 'path') return context.path
  if (expression === 'now') return context.now
  if (expression.startsWith('headers.')) return context.headers[expression.slice('headers.'.length).toLowerCase()]
  if (expression.startsWith('query.')) return readOwn(context.query, expression.slice('query.'.length))
  const path = expression.startsWith('payload.') ? expression.slice('payload.'.length) : expression === 'payload' ? '' : expression
  return readPath(context.payload, path)
}

function readPath(value: unknown, path: string): unknown {
  if (path === '') return value
  let current = value
  for (const segment of path.split(/\.|\[(\d+)\]/).filter((part) => part !== undefined && part !== '')) {
    current = readOwn(current, segment)
    if (current === undefined) return undefined
  }
  return current
}

function readOwn(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined
  return (value as Record<string, unknown>)[key]
}

function toText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
