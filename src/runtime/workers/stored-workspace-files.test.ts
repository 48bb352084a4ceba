import { describe, expect, it } from 'vitest'
import { WorkspacePathError } from '../../workspace/workspace-files.js'
import type { StoredFiles } from './stored-files.js'
import { createStoredWorkspaceFiles } from './stored-workspace-files.js'

// The file table's contract (exact paths, prefix listing) over a Map; the SQL behind it runs in the workerd suites.
function mapFiles(): StoredFiles & { paths: Map<string, string> } {
  const paths = new Map<string, string>()
  return {
    paths,
    read: (path) => paths.get(path),
    write: (path, text) => void paths.set(path, text),
    list: (prefix) => [...paths.keys()].filter((path) => path.startsWith(prefix)).sort(),
  }
}

describe('createStoredWorkspaceFiles', () => {
  it('reads, writes and lists files relative to the workspace', async () => {
    const files = mapFiles()
    const workspace = createStoredWorkspaceFiles(files)
    await workspace.write('/home/clawd', 'memory/2026-01-01.md', 'note')
    await workspace.write('/home/clawd', './MEMORY.md', 'long term')
    files.paths.set('/home/clawd-other/memory/x.md', 'not ours')
    expect(await workspace.read('/home/clawd', 'memory/2026-01-01.md')).toBe('note')
    expect(await workspace.read('/home/clawd', 'memory/missing.md')).toBeUndefined()
    expect(await workspace.list('/home/clawd', 'memory')).toEqual(['memory/2026-01-01.md'])
    expect(await workspace.list('/home/clawd', '.')).toEqual(['MEMORY.md', 'memory/2026-01-01.md'])
  })

  it('refuses paths that climb out of the workspace', async () => {
    const workspace = createStoredWorkspaceFiles(mapFiles())
    await expect(workspace.read('/home/clawd', '../clawd-other/memory/x.md')).rejects.toBeInstanceOf(WorkspacePathError)
    await expect(workspace.write('/home/clawd', '/etc/passwd', 'x')).rejects.toBeInstanceOf(WorkspacePathError)
    await expect(workspace.list('/home/clawd', 'memory/../../..')).rejects.toBeInstanceOf(WorkspacePathError)
  })
})
