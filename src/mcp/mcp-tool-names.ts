const MAX_SERVER_PART = 30
const MAX_NAME = 64

/**
 * Exposed names for one server's tools, upstream's rules (spec/agent-tools.md §4.1): `<server>__<tool>`, characters
 * outside `[A-Za-z0-9_-]` become `-`, a fragment that does not start with a letter gets `mcp-` (server) or `tool-`
 * (tool), the server part is cut to 30 characters and the whole name to 64, and a name that collides
 * (case-insensitively) with one in `taken` gets `-2`, `-3`, …. Names are added to `taken` as they are handed out.
 * Returns exposed name → the server's own tool name.
 */
export function toMcpToolNames(server: string, tools: readonly string[], taken: Set<string>): Map<string, string> {
  const serverPart = fragment(server, 'mcp-').slice(0, MAX_SERVER_PART)
  const names = new Map<string, string>()
  for (const tool of tools) {
    const base = `${serverPart}__${fragment(tool, 'tool-')}`.slice(0, MAX_NAME)
    let candidate = base
    for (let suffix = 2; taken.has(candidate.toLowerCase()); suffix += 1) {
      const tail = `-${suffix}`
      candidate = `${base.slice(0, MAX_NAME - tail.length)}${tail}`
    }
    taken.add(candidate.toLowerCase())
    names.set(candidate, tool)
  }
  return names
}

function fragment(raw: string, prefix: string): string {
  const cleaned = raw.replace(/[^A-Za-z0-9_-]/g, '-')
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `${prefix}${cleaned}`
}

/**
 * Whether a tool passes `toolFilter`: patterns match the raw or the exposed name, `*` is a glob; an empty or absent
 * `include` lets everything in, `exclude` wins.
 */
export function passesToolFilter(filter: { include?: readonly string[]; exclude?: readonly string[] } | undefined, raw: string, exposed: string): boolean {
  if (filter === undefined) return true
  const matches = (patterns: readonly string[] | undefined) => (patterns ?? []).some((pattern) => globMatch(pattern, raw) || globMatch(pattern, exposed))
  if (filter.include !== undefined && filter.include.length > 0 && !matches(filter.include)) return false
  return !matches(filter.exclude)
}

function globMatch(pattern: string, name: string): boolean {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')
  return new RegExp(`^${source}$`, 'i').test(name)
}
