import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { writeFileAtomic } from './write-file-atomic.js'

// Simulates a crash at the worst moment: the new document is fully written to the temp file, the rename never happens.
const crash = vi.hoisted(() => ({ beforeRename: false }))

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>()
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      if (crash.beforeRename) {
        const temp = readFileSync(from, 'utf8')
        throw Object.assign(new Error(`simulated crash before rename; temp held ${temp.length} chars`), { code: 'EIO' })
      }
      return actual.rename(from, to)
    },
  }
})

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'write-file-atomic-'))
  crash.beforeRename = false
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('writeFileAtomic when the rename never happens', () => {
  it('leaves the previous document intact and cleans up the temp file', async () => {
    const path = join(dir, 'moltbot.json')
    await writeFileAtomic(path, '{"version":1}\n')
    crash.beforeRename = true
    const next = JSON.stringify({ version: 2, padding: 'x'.repeat(100_000) })
    await expect(writeFileAtomic(path, next)).rejects.toThrow(`simulated crash before rename; temp held ${next.length} chars`)
    expect(readFileSync(path, 'utf8')).toBe('{"version":1}\n')
    expect(readdirSync(dir)).toEqual(['moltbot.json'])
  })

  it('never writes to the target before the rename', async () => {
    const path = join(dir, 'sessions.json')
    writeFileSync(path, 'previous')
    crash.beforeRename = true
    await expect(writeFileAtomic(path, 'next')).rejects.toThrow('simulated crash before rename')
    expect(readFileSync(path, 'utf8')).toBe('previous')
  })
})
