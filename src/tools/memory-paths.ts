import { WorkspacePathError } from '../workspace/workspace-files.js'

/**
 * Normalises a model-given memory path (spec/agent-tools.md §3.4): leading `./`, `.` and `/` go, `\` becomes `/`,
 * `..` is resolved, and the result must be `MEMORY.md`, `memory.md` or under `memory/`. Returns undefined for any
 * other path; throws {@link WorkspacePathError} when `..` climbs out of the workspace. The workspace capability
 * repeats the containment check after resolving symlinks.
 */
export function toMemoryPath(raw: string): string | undefined {
  const cleaned = raw.trim().replace(/\\/g, '/').replace(/^[./]+/, '')
  const segments: string[] = []
  for (const segment of cleaned.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') {
      if (segments.length === 0) throw new WorkspacePathError()
      segments.pop()
      continue
    }
    segments.push(segment)
  }
  const path = segments.join('/')
  if (path === 'MEMORY.md' || path === 'memory.md') return path
  if (segments[0] === 'memory' && segments.length > 1) return path
  return undefined
}

/** True for files memory_search indexes: the two root notes and Markdown files below `memory/`. */
export function isSearchableMemoryFile(path: string): boolean {
  return path === 'MEMORY.md' || path === 'memory.md' || (path.startsWith('memory/') && path.toLowerCase().endsWith('.md'))
}
