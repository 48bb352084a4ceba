import { isPlainObject } from './config-issue.js'

// Keys whose string values are filesystem paths (agentDir, repoRoot, workspace, logging.file, load.paths…).
const PATH_KEY = /(dir|path|paths|file|root|workspace)$/i

/** Expands a leading `~` in path-like config values (strings or string arrays) to `homeDir`. */
export function expandHomePaths<T>(value: T, homeDir: string): T {
  return visit(value, homeDir) as T
}

/** Expands a leading `~` (alone or followed by a slash) in one path. */
export function expandHome(path: string, homeDir: string): string {
  if (path === '~') return homeDir
  if (path.startsWith('~/')) return `${homeDir.replace(/\/+$/, '')}/${path.slice(2)}`
  return path
}

function visit(value: unknown, homeDir: string): unknown {
  if (Array.isArray(value)) return value.map((item) => visit(item, homeDir))
  if (!isPlainObject(value)) return value
  const result: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    if (PATH_KEY.test(key) && typeof child === 'string') result[key] = expandHome(child, homeDir)
    else if (PATH_KEY.test(key) && Array.isArray(child)) {
      result[key] = child.map((item) => (typeof item === 'string' ? expandHome(item, homeDir) : item))
    } else result[key] = visit(child, homeDir)
  }
  return result
}
