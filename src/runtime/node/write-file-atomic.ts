import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Matches the temp files `writeFileAtomic` leaves behind only if the process dies mid-write. */
export const ATOMIC_TEMP_FILE_NAME = /^\..+\.[0-9a-f]{12}\.tmp$/

/** Options of `writeFileAtomic`. */
export interface WriteFileAtomicOptions {
  /** Permission bits of the new file; secrets live in these files, so the default is owner-only 0600. */
  mode?: number
}

/**
 * Replaces a file so readers see either the old or the new document, never a truncated one: the data goes to a
 * temp file in the same directory (rename is only atomic within one file system), is flushed, then renamed over it.
 * @see spec/config-and-runtime.md §5.3
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const directory = dirname(path)
  const tempPath = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  await mkdir(directory, { recursive: true })
  try {
    const handle = await open(tempPath, 'wx', options.mode ?? 0o600)
    try {
      await handle.writeFile(data)
      // Without the flush a power cut after the rename can leave the new name pointing at empty blocks.
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tempPath, path)
  } catch (error) {
    await rm(tempPath, { force: true })
    throw error
  }
}
