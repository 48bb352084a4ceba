import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStorage, type Storage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { afterAll } from 'vitest'
import { createNodeStorage } from '../../src/runtime/node/node-storage.js'

const tempDirs: string[] = []

/** Makes a state dir that is removed after the file's tests. */
export function makeTempStateDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'sessions-test-'))
  tempDirs.push(directory)
  return directory
}

afterAll(() => {
  for (const directory of tempDirs) rmSync(directory, { recursive: true, force: true })
})

/** The storages the session stores must work on: memory (Workers-like) and the Node state dir. */
export const STORAGE_CASES: [name: string, makeStorage: () => Storage][] = [
  ['memory driver', () => createStorage({ driver: memoryDriver() })],
  ['node fs storage', () => createNodeStorage(makeTempStateDir())],
]
