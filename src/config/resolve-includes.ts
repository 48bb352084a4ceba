import { childPath, isPlainObject, type ConfigIssue } from './config-issue.js'
import { deepMerge } from './deep-merge.js'
import { parseJson5 } from './parse-json5.js'
import { dirname, resolve } from './posix-path.js'

/** How deep `$include` may nest, counted from the top-level config file. */
export const MAX_INCLUDE_DEPTH = 10

const INCLUDE_KEY = '$include'

type ReadText = (path: string) => Promise<string | undefined>
type RealPath = (path: string) => Promise<string | undefined>

/**
 * Replaces every `$include` (a path or a list of paths, relative to the including file) with the
 * parsed content; a list merges in order and sibling keys override the included content.
 *
 * Includes are confined to the config file's directory tree: a config edit over the control socket must not be able
 * to read `/etc/shadow` or a secret elsewhere and see it echoed back. `realPath` (when the runtime has one) resolves
 * symlinks, so a link inside the tree cannot point out of it. The runtime's `readText` refuses non-regular files and
 * caps sizes.
 */
export async function resolveIncludes(
  value: unknown,
  filePath: string,
  readText: ReadText,
  realPath?: RealPath,
): Promise<{ value: unknown; issues: ConfigIssue[] }> {
  const issues: ConfigIssue[] = []
  const root = dirname(filePath)
  const resolved = await visit(value, '', { readText, realPath, root, issues, chain: [filePath] })
  return { value: resolved, issues }
}

interface IncludeContext {
  readText: ReadText
  realPath?: RealPath
  /** The top-level config file's directory; every include must live under it. */
  root: string
  issues: ConfigIssue[]
  /** Files currently being expanded, outermost first; used for cycle detection and depth. */
  chain: string[]
}

async function visit(value: unknown, path: string, context: IncludeContext): Promise<unknown> {
  if (Array.isArray(value)) {
    return Promise.all(value.map((item, index) => visit(item, childPath(path, index), context)))
  }
  if (!isPlainObject(value)) return value
  const siblings: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    if (key !== INCLUDE_KEY) siblings[key] = await visit(child, childPath(path, key), context)
  }
  if (!(INCLUDE_KEY in value)) return siblings
  const included = await loadIncludeValue(value[INCLUDE_KEY], path, context)
  if (Object.keys(siblings).length === 0) return included
  if (!isPlainObject(included)) {
    context.issues.push({ path, message: 'Sibling keys next to $include require the included content to be an object' })
    return siblings
  }
  return deepMerge(included, siblings)
}

async function loadIncludeValue(include: unknown, path: string, context: IncludeContext): Promise<unknown> {
  if (typeof include === 'string') return loadIncludeFile(include, path, context)
  if (Array.isArray(include)) {
    let merged: unknown = {}
    for (const entry of include) {
      if (typeof entry !== 'string') {
        context.issues.push({ path, message: `Invalid $include array item: expected string, got ${typeof entry}` })
        continue
      }
      merged = deepMerge(merged, await loadIncludeFile(entry, path, context))
    }
    return merged
  }
  const message = `Invalid $include value: expected string or array of strings, got ${typeof include}`
  context.issues.push({ path, message })
  return {}
}

async function loadIncludeFile(includePath: string, path: string, context: IncludeContext): Promise<unknown> {
  const includingFile = context.chain[context.chain.length - 1]
  const resolvedPath = resolve(dirname(includingFile), includePath)
  if (context.chain.includes(resolvedPath)) {
    const cycle = [...context.chain, resolvedPath].join(' -> ')
    context.issues.push({ path, message: `Circular $include detected: ${cycle}` })
    return {}
  }
  // The chain holds the top-level file plus one entry per nested include.
  if (context.chain.length > MAX_INCLUDE_DEPTH) {
    context.issues.push({ path, message: `Maximum $include depth (${MAX_INCLUDE_DEPTH}) exceeded at: ${includePath}` })
    return {}
  }
  if (!isWithin(context.root, resolvedPath) || !(await realPathWithin(context, resolvedPath))) {
    context.issues.push({
      path,
      message: `$include path ${includePath} is outside the config directory ${context.root}; move the file under that directory`,
    })
    return {}
  }
  let text: string | undefined
  try {
    text = await context.readText(resolvedPath)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    context.issues.push({ path, message: `$include file ${includePath} cannot be read (resolved: ${resolvedPath}): ${reason}` })
    return {}
  }
  if (text === undefined) {
    context.issues.push({ path, message: `$include file not found: ${includePath} (resolved: ${resolvedPath})` })
    return {}
  }
  const parsed = parseJson5(text)
  if (!parsed.ok) {
    context.issues.push({ path, message: `Failed to parse $include file ${includePath}: ${parsed.message}` })
    return {}
  }
  return visit(parsed.value, path, { ...context, chain: [...context.chain, resolvedPath] })
}

function isWithin(root: string, path: string): boolean {
  const base = root.endsWith('/') ? root : `${root}/`
  return path.startsWith(base)
}

async function realPathWithin(context: IncludeContext, path: string): Promise<boolean> {
  if (!context.realPath) return true
  const [realRoot, realFile] = await Promise.all([context.realPath(context.root), context.realPath(path)])
  // A missing file is reported as not found by the read that follows.
  if (realFile === undefined) return true
  return realRoot !== undefined && isWithin(realRoot, realFile)
}
