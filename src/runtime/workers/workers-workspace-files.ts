import { WorkspacePathError, type WorkspaceFiles } from '../../workspace/workspace-files.js'
import type { StoredFiles } from './stored-files.js'

/**
 * Workspace files (memory notes) in the gateway object's SQLite database, next to the config. There are no
 * symlinks here, so resolving `..` and refusing paths that climb out of the workspace is the whole containment
 * check.
 */
export function createWorkersWorkspaceFiles(files: StoredFiles): WorkspaceFiles {
  return {
    read: async (root, relativePath) => files.read(resolvePath(root, relativePath)),
    write: async (root, relativePath, text) => files.write(resolvePath(root, relativePath), text),
    list: async (root, relativeDir) => {
      const base = `${rootOf(root)}/`
      const dir = resolvePath(root, relativeDir)
      return files.list(`${dir}/`).map((path) => path.slice(base.length))
    },
  }
}

function rootOf(root: string): string {
  return root.replace(/\/+$/, '')
}

function resolvePath(root: string, relativePath: string): string {
  const segments: string[] = []
  for (const segment of relativePath.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') {
      if (segments.length === 0) throw new WorkspacePathError()
      segments.pop()
    } else {
      segments.push(segment)
    }
  }
  return `${rootOf(root)}/${segments.join('/')}`
}
