import { resolve } from 'node:path'
import { createStorage, type Driver, type Storage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import { ATOMIC_TEMP_FILE_NAME, writeFileAtomic } from './write-file-atomic.js'

export { writeFileAtomic } from './write-file-atomic.js'

// Same rule as the fs driver: it refuses `..` segments, and so must our write path, which bypasses its resolver.
const PATH_TRAVERSAL = /\.\.:|\.\.$/

/**
 * Creates the state-dir storage: the unstorage fs driver (key `a:b:c` ↔ `<stateDir>/a/b/c`) with every write made
 * atomic (temp file + rename, mode 0600), since the driver's plain `writeFile` can leave truncated JSON on a crash.
 * @see spec/platforms.md §3.1
 */
export function createNodeStorage(stateDir: string): Storage {
  return createStorage({ driver: createAtomicFsDriver(resolve(stateDir)) })
}

function createAtomicFsDriver(base: string): Driver {
  // anymatch accepts predicates at runtime, though the option is typed as globs; temp files never become keys.
  const isTempFile = (path: string): boolean => ATOMIC_TEMP_FILE_NAME.test(path.split(/[/\\]/).at(-1) ?? '')
  const ignore = ['**/node_modules/**', '**/.git/**', isTempFile] as unknown as string[]
  const driver = fsDriver({ base, ignore })
  const write = (key: string, value: unknown): Promise<void> => writeFileAtomic(toPath(base, key), toFileData(value))
  return {
    ...driver,
    name: 'fs-atomic',
    setItem: (key, value) => write(key, value),
    setItemRaw: (key, value) => write(key, value),
  }
}

function toPath(base: string, key: string): string {
  if (PATH_TRAVERSAL.test(key)) {
    throw new Error(`[unstorage] [fs-atomic] Invalid key: ${JSON.stringify(key)}. It should not contain .. segments`)
  }
  return resolve(base, key.replace(/:/g, '/'))
}

function toFileData(value: unknown): string | Uint8Array {
  if (typeof value === 'string' || value instanceof Uint8Array) return value
  if (value instanceof ArrayBuffer) return new Uint8Array(value)
  throw new TypeError(`[unstorage] [fs-atomic] cannot write a value of type ${typeof value}; pass a string or bytes`)
}
