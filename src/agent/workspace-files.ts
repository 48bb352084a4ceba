import { join as joinPath } from '../config/posix-path.js'

/** The persona and memory files read from the agent workspace on every run, in prompt order. */
export const BOOTSTRAP_FILES = ['AGENTS.md', 'SOUL.md', 'TOOLS.md', 'IDENTITY.md', 'USER.md', 'HEARTBEAT.md', 'BOOTSTRAP.md'] as const
const MEMORY_FILES = ['MEMORY.md', 'memory.md'] as const
// Only these are reported as missing; the others are optional by nature.
const EXPECTED_FILES = new Set(['AGENTS.md', 'SOUL.md', 'TOOLS.md', 'IDENTITY.md', 'USER.md'])

export interface WorkspaceFile {
  name: string
  path: string
  /** Prompt text: the content (possibly truncated) or a `[MISSING] Expected at: …` marker. */
  text: string
  truncated: boolean
}

/**
 * Reads the bootstrap files of a workspace. Empty files are left out; long ones keep 70 % head and 20 % tail so
 * the model sees both the rules at the top and the latest notes at the bottom. A workspace with none of the files
 * contributes nothing, instead of a wall of "missing" markers for users who never set one up.
 */
export async function readWorkspaceFiles(
  workspace: string,
  readTextFile: (path: string) => Promise<string | undefined>,
  maxChars: number,
): Promise<WorkspaceFile[]> {
  const found: { name: string; path: string; content: string | undefined }[] = []
  for (const name of BOOTSTRAP_FILES) {
    const path = joinPath(workspace, name)
    found.push({ name, path, content: await safeRead(readTextFile, path) })
  }
  for (const name of MEMORY_FILES) {
    const path = joinPath(workspace, name)
    const content = await safeRead(readTextFile, path)
    if (content !== undefined) {
      found.push({ name, path, content })
      break
    }
  }
  if (found.every((file) => file.content === undefined)) return []
  const files: WorkspaceFile[] = []
  for (const file of found) {
    if (file.content === undefined) {
      if (EXPECTED_FILES.has(file.name)) files.push({ name: file.name, path: file.path, text: `[MISSING] Expected at: ${file.path}`, truncated: false })
      continue
    }
    if (file.content.trim() === '') continue
    files.push({ name: file.name, path: file.path, ...truncateBootstrap(file.content, file.path, maxChars) })
  }
  return files
}

/** Cuts an over-long file to 70 % head + 20 % tail with markers saying where the full text is. */
export function truncateBootstrap(content: string, path: string, maxChars: number): { text: string; truncated: boolean } {
  if (content.length <= maxChars) return { text: content, truncated: false }
  const head = Math.floor(maxChars * 0.7)
  const tail = Math.floor(maxChars * 0.2)
  const text = [
    content.slice(0, head),
    `[...truncated, read ${path} for full content...]`,
    `…(truncated ${path}: kept ${head}+${tail} chars of ${content.length})…`,
    content.slice(content.length - tail),
  ].join('\n')
  return { text, truncated: true }
}

async function safeRead(readTextFile: (path: string) => Promise<string | undefined>, path: string): Promise<string | undefined> {
  try {
    return await readTextFile(path)
  } catch {
    // An unreadable file (permissions, a folder with that name) is treated like a missing one.
    return undefined
  }
}
