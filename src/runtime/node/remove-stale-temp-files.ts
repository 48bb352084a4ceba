import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../../logging/logger.js'
import { ATOMIC_TEMP_FILE_NAME } from './write-file-atomic.js'

// The state tree is a few levels deep (agents/<id>/sessions/<sid>/…); the workspace may hold a user's own trees.
const MAX_DEPTH = 6
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'workspace'])

/**
 * Deletes the temp files `writeFileAtomic` leaves when the process is killed mid-write (partial `sessions.json`
 * copies). Run at start, after the gateway lock is held, so no writer of ours can own one. Only names of the exact
 * `.<name>.<12 hex>.tmp` shape are touched. Resolves with how many went.
 */
export async function removeStaleTempFiles(dirs: readonly string[], logger: Logger): Promise<number> {
  let removed = 0
  const visit = async (dir: string, depth: number): Promise<void> => {
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIPPED_DIRS.has(entry.name)) await visit(path, depth + 1)
      } else if (entry.isFile() && ATOMIC_TEMP_FILE_NAME.test(entry.name)) {
        await rm(path, { force: true })
        removed += 1
      }
    }
  }
  for (const dir of new Set(dirs)) await visit(dir, 0)
  if (removed > 0) logger.info(`removed ${removed} temp file(s) left by an interrupted write`)
  return removed
}
