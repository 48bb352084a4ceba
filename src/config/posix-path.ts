/**
 * Minimal '/'-separated path helpers. Core code cannot import `node:path`, and config paths on every
 * target we run on (Linux, Fly, Workers' virtual paths) are posix.
 */

/** Whether the path starts at the root. */
export function isAbsolute(path: string): boolean {
  return path.startsWith('/')
}

/** Collapses `.`, `..`, repeated and trailing slashes. */
export function normalize(path: string): string {
  const absolute = isAbsolute(path)
  const parts: string[] = []
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') {
      // Above the root there is nothing to pop; a relative path keeps its leading `..` segments.
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop()
      else if (!absolute) parts.push('..')
      continue
    }
    parts.push(segment)
  }
  const joined = parts.join('/')
  if (absolute) return `/${joined}`
  return joined === '' ? '.' : joined
}

/** Joins segments and normalizes the result. */
export function join(...segments: string[]): string {
  return normalize(segments.filter((segment) => segment !== '').join('/'))
}

/** The directory part of a path (`/` for a file in the root, `.` for a bare name). */
export function dirname(path: string): string {
  const normalized = normalize(path)
  if (normalized === '/') return '/'
  const index = normalized.lastIndexOf('/')
  if (index === -1) return '.'
  if (index === 0) return '/'
  return normalized.slice(0, index)
}

/** Resolves segments right to left until an absolute one is found; `base` anchors relative results. */
export function resolve(base: string, ...segments: string[]): string {
  let resolved = ''
  for (let index = segments.length - 1; index >= 0; index--) {
    const segment = segments[index]
    if (segment === '') continue
    resolved = resolved === '' ? segment : `${segment}/${resolved}`
    if (isAbsolute(segment)) return normalize(resolved)
  }
  return normalize(resolved === '' ? base : `${base}/${resolved}`)
}
