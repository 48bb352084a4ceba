import { WorkspacePathError, type WorkspaceFiles } from '../../src/workspace/workspace-files.js'

/** WorkspaceFiles over a plain object (`<root>/<path>` → text), for tests that do not need the disk. */
export function createMemoryWorkspaceFiles(files: Record<string, string> = {}): WorkspaceFiles & { files: Record<string, string> } {
  const key = (root: string, path: string) => {
    if (path.split('/').includes('..')) throw new WorkspacePathError()
    return `${root.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
  }
  return {
    files,
    read: async (root, path) => files[key(root, path)],
    write: async (root, path, text) => void (files[key(root, path)] = text),
    list: async (root, dir) => {
      const prefix = `${key(root, dir)}/`
      return Object.keys(files)
        .filter((name) => name.startsWith(prefix))
        .map((name) => name.slice(root.replace(/\/+$/, '').length + 1))
        .sort()
    },
  }
}
