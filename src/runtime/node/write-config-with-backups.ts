import { copyFile, rename, stat } from 'node:fs/promises'
import { writeFileAtomic } from './write-file-atomic.js'

const BACKUPS = 4

/**
 * Saves the config as upstream does: the previous file rotates into `.bak`, `.bak.1` … `.bak.4`, then the new text
 * is written atomically with mode 0600 (it may hold tokens). A bad save from the UI can always be undone by hand.
 */
export async function writeConfigWithBackups(path: string, text: string): Promise<void> {
  if (await exists(path)) {
    for (let index = BACKUPS; index >= 1; index--) {
      const from = index === 1 ? `${path}.bak` : `${path}.bak.${index - 1}`
      if (await exists(from)) await rename(from, `${path}.bak.${index}`)
    }
    await copyFile(path, `${path}.bak`)
  }
  await writeFileAtomic(path, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600 })
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
