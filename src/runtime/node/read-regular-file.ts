import { constants } from 'node:fs'
import { open, realpath } from 'node:fs/promises'

/** Config files, includes and workspace bootstrap files are small; past this the file is refused, not read. */
export const MAX_TEXT_FILE_BYTES = 2 * 1024 * 1024

/**
 * Reads a text file that must be a regular file of at most `maxBytes`, or returns `undefined` when it does not exist.
 * The open is non-blocking, so a FIFO with no writer cannot tie up one of libuv's four file threads (which would stall
 * every later read, chat turns included); devices such as `/dev/zero` are refused before a byte is read.
 */
export async function readRegularFile(path: string, maxBytes = MAX_TEXT_FILE_BYTES): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new Error(`${path} cannot be opened (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw new Error(`${path} is not a regular file`)
    if (stat.size > maxBytes) throw new Error(`${path} is larger than ${maxBytes} bytes`)
    // Read one byte past the cap: a file that grew since fstat is refused too.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1)
    let length = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
      if (length > maxBytes) throw new Error(`${path} is larger than ${maxBytes} bytes`)
      if (length === buffer.length) break
    }
    return buffer.subarray(0, length).toString('utf8')
  } finally {
    await handle.close()
  }
}

/** `realpath`, with `undefined` for a path that does not exist. */
export async function realPathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path)
  } catch {
    return undefined
  }
}
