/**
 * Files of an agent workspace (memory notes, bootstrap files) as a capability: plain files under the state dir on
 * Node (Fly's volume), Durable Object storage on Workers. Paths are workspace-relative with `/` separators; an
 * implementation MUST refuse paths that leave `root` after resolving `..` and symlinks, by throwing
 * {@link WorkspacePathError}.
 */
export interface WorkspaceFiles {
  /** The text of a file, or `undefined` when it does not exist. */
  read(root: string, relativePath: string): Promise<string | undefined>
  /** Creates or replaces a file, creating its folders. */
  write(root: string, relativePath: string, text: string): Promise<void>
  /** Every file below `relativeDir` (recursive), as workspace-relative paths; `[]` when the folder is missing. */
  list(root: string, relativeDir: string): Promise<string[]>
}

/** A workspace path that resolves outside the workspace (upstream's text: `path escapes workspace`). */
export class WorkspacePathError extends Error {
  constructor(message = 'path escapes workspace') {
    super(message)
    this.name = 'WorkspacePathError'
  }
}
