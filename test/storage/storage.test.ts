import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { afterAll } from 'vitest'
import { createNodeStorage } from '../../src/runtime/node/node-storage.js'
import { describeStorage } from '../helpers/describe-storage.js'

const tempDirs: string[] = []

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

describeStorage('memory driver', () => createStorage({ driver: memoryDriver() }))

describeStorage('createNodeStorage (fs, atomic writes)', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'node-storage-'))
  tempDirs.push(stateDir)
  return createNodeStorage(stateDir)
})
