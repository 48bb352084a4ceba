import { mkdir, readdir, readFile, realpath, writeFile, rename } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { WorkspacePathError, type WorkspaceFiles } from '../../workspace/workspace-files.js'

/**
 * Workspace files on the local disk (Fly's volume). Every path is checked after resolving `..` and symlinks, so a
 * symlink inside `memory/` cannot expose or overwrite a file outside the workspace. Writes go through a temp file
 * and a rename, so a crash never leaves half a memory file.
 */
export function createNodeWorkspaceFiles(): WorkspaceFiles {
  return {
    async read(root, relativePath) {
      const target = await confined(root, relativePath)
      try {
        return await readFile(target, 'utf8')
      } catch (error) {
        if (isCode(error, 'ENOENT')) return undefined
        throw error
      }
    },
    async write(root, relativePath, text) {
      const target = await confined(root, relativePath, true)
      const temp = `${target}.${process.pid}.tmp`
      await writeFile(temp, text, 'utf8')
      await rename(temp, target)
    },
    async list(root, relativeDir) {
      const base = await confined(root, relativeDir)
      const rootReal = await realpath(root).catch(() => resolve(root))
      const found: string[] = []
      const walk = async (dir: string): Promise<void> => {
        let entries
        try {
          entries = await readdir(dir, { withFileTypes: true })
        } catch (error) {
          if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return
          throw error
        }
        for (const entry of entries) {
          const path = join(dir, entry.name)
          // Symlinks are not followed while listing; reading one still goes through the containment check.
          if (entry.isDirectory()) await walk(path)
          else if (entry.isFile()) found.push(relative(rootReal, path).split(sep).join('/'))
        }
      }
      await walk(base)
      return found.sort()
    },
  }
}

// Resolves the deepest existing ancestor through realpath, so both `..` and symlinks are accounted for.
async function confined(root: string, relativePath: string, createParents = false): Promise<string> {
  if (createParents) await mkdir(root, { recursive: true })
  const rootReal = await realpath(root).catch((error: unknown) => {
    // A workspace that does not exist yet holds no files; reads and lists then find nothing.
    if (isCode(error, 'ENOENT')) return resolve(root)
    throw error
  })
  const target = resolve(rootReal, relativePath)
  if (!isInside(rootReal, target)) throw new WorkspacePathError()
  if (createParents) {
    const parent = dirname(target)
    const parentReal = await realpathOfExisting(parent)
    if (!isInside(rootReal, parentReal)) throw new WorkspacePathError()
    await mkdir(parent, { recursive: true })
  }
  const real = await realpathOfExisting(target)
  if (!isInside(rootReal, real)) throw new WorkspacePathError()
  return target
}

async function realpathOfExisting(path: string): Promise<string> {
  try {
    return await realpath(path)
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw error
    const parent = dirname(path)
    if (parent === path) return path
    return join(await realpathOfExisting(parent), path.slice(parent.length + 1))
  }
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === code
}
