import { normalize, resolve } from '../../config/posix-path.js'
import { WorkspacePathError, type WorkspaceFiles } from '../../workspace/workspace-files.js'
import type { StoredFiles } from './stored-files.js'

/**
 * Agent workspace files (memory notes, bootstrap files) kept in the gateway object's file table, since Workers have
 * no persistent disk. Paths are confined to the workspace after resolving `..`; there are no symlinks to follow.
 */
export function createStoredWorkspaceFiles(files: StoredFiles): WorkspaceFiles {
  return {
    async read(root, relativePath) {
      return files.read(confined(root, relativePath))
    },
    async write(root, relativePath, text) {
      files.write(confined(root, relativePath), text)
    },
    async list(root, relativeDir) {
      const base = normalize(root)
      const dir = confined(root, relativeDir)
      const prefix = dir === base ? `${base}/` : `${dir}/`
      return files.list(prefix).map((path) => path.slice(base.length + 1))
    },
  }
}

function confined(root: string, relativePath: string): string {
  const base = normalize(root)
  const target = resolve(base, relativePath)
  if (target !== base && !target.startsWith(`${base}/`)) throw new WorkspacePathError()
  return target
}
