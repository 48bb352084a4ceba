import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sessionsIndexKey } from '../../storage/keys.js'
import { createNodeStorage, writeFileAtomic } from './node-storage.js'

let stateDir: string

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'node-storage-'))
})

afterEach(() => {
  rmSync(stateDir, { recursive: true, force: true })
})

describe('createNodeStorage', () => {
  it('maps `a:b:c` keys to files under the state dir, owner-only', async () => {
    const storage = createNodeStorage(stateDir)
    await storage.setItem(sessionsIndexKey('main'), { 'agent:main:main': { sessionId: 'abc' } })
    const file = join(stateDir, 'agents', 'main', 'sessions', 'sessions.json')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'agent:main:main': { sessionId: 'abc' } })
    expect(statSync(file).mode & 0o777).toBe(0o600)
    await storage.setItemRaw('agents:main:sessions:s1:000000.jsonl', '{"type":"session"}\n')
    expect(statSync(join(stateDir, 'agents/main/sessions/s1/000000.jsonl')).mode & 0o777).toBe(0o600)
  })

  it('leaves no temp file behind after writes', async () => {
    const storage = createNodeStorage(stateDir)
    await Promise.all(Array.from({ length: 10 }, (_, index) => storage.setItem('runtime:doc.json', { index })))
    expect(readdirSync(join(stateDir, 'runtime'))).toEqual(['doc.json'])
  })

  it('keeps the previous document and hides the temp file a crash before the rename leaves', async () => {
    const storage = createNodeStorage(stateDir)
    await storage.setItem('runtime:failover.json', { version: 1 })
    // What a process killed between writing the temp file and renaming it leaves on disk.
    writeFileSync(join(stateDir, 'runtime', '.failover.json.0123456789ab.tmp'), '{"version": 2, "trunc')
    expect(await storage.getItem('runtime:failover.json')).toEqual({ version: 1 })
    expect(await storage.getKeys()).toEqual(['runtime:failover.json'])
    expect(await storage.getKeys('runtime')).toEqual(['runtime:failover.json'])
  })

  it('still lists ordinary dot files, so only our temp names are hidden', async () => {
    mkdirSync(join(stateDir, 'runtime'))
    writeFileSync(join(stateDir, 'runtime', '.env'), 'A=1')
    expect(await createNodeStorage(stateDir).getKeys()).toEqual(['runtime:.env'])
  })

  it('refuses keys that climb out of the state dir', async () => {
    const storage = createNodeStorage(join(stateDir, 'inner'))
    await expect(storage.setItem('..:escape.json', { a: 1 })).rejects.toThrow(/Invalid key/)
    // The storage layer lets this one through; the write path must refuse it just as the fs driver's reads do.
    await expect(storage.setItem('a..:b.json', { a: 1 })).rejects.toThrow(/should not contain \.\. segments/)
    expect(readdirSync(stateDir)).toEqual([])
  })
})

describe('writeFileAtomic', () => {
  it('creates missing directories and honours a custom mode', async () => {
    const path = join(stateDir, 'nested', 'dir', 'moltbot.json')
    await writeFileAtomic(path, '{"gateway":{}}\n', { mode: 0o640 })
    expect(readFileSync(path, 'utf8')).toBe('{"gateway":{}}\n')
    expect(statSync(path).mode & 0o777).toBe(0o640)
  })

  it('replaces an existing file with bytes', async () => {
    const path = join(stateDir, 'blob.bin')
    writeFileSync(path, 'old contents that are longer')
    await writeFileAtomic(path, new Uint8Array([104, 105]))
    expect(readFileSync(path, 'utf8')).toBe('hi')
  })

  it('removes its temp file and rethrows when the write fails', async () => {
    const path = join(stateDir, 'target')
    mkdirSync(join(path, 'occupied'), { recursive: true })
    // Renaming a file over a non-empty directory fails on every platform.
    await expect(writeFileAtomic(path, 'data')).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST|EPERM/) })
    expect(readdirSync(stateDir)).toEqual(['target'])
  })
})
