import { join } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { createStorage, type Driver } from 'unstorage'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeStorage } from '../helpers/describe-storage.js'
import { workerSettings } from './workerd-target.js'

/*
 * The storage conformance suite on the Durable Object driver, inside workerd: the driver runs in a SQLite-backed
 * object (storage-probe-worker.ts) and this file forwards each driver call to it. One fresh object per test.
 */
let mf: Miniflare
beforeAll(async () => {
  const bundled = await build({
    entryPoints: [join(import.meta.dirname, 'storage-probe-worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    external: ['cloudflare:*'],
    write: false,
  })
  mf = new Miniflare({
    modules: [{ type: 'ESModule', path: 'probe.js', contents: bundled.outputFiles[0]!.text }],
    ...workerSettings(),
    durableObjects: { PROBE: { className: 'StorageProbe', useSQLite: true } },
    cf: false,
  })
  await mf.ready
}, 60_000)
afterAll(() => mf?.dispose())

let stores = 0
function remoteDriver(store = `store-${++stores}`): Driver {
  const call = (op: string) => async (...args: unknown[]): Promise<any> => {
    const encoded = args.filter((arg) => typeof arg !== 'object' || arg instanceof Uint8Array).map((arg) => (arg instanceof Uint8Array ? { bytes: Buffer.from(arg).toString('base64') } : arg))
    const response = await mf.dispatchFetch(`http://probe/?store=${store}`, { method: 'POST', body: JSON.stringify({ op, args: encoded }) })
    const answer = (await response.json()) as { result?: unknown; error?: string }
    if (answer.error !== undefined) throw new Error(answer.error)
    const result = answer.result as { bytes?: string } | null
    return result !== null && typeof result === 'object' && typeof result.bytes === 'string' ? new Uint8Array(Buffer.from(result.bytes, 'base64')) : result
  }
  return {
    name: 'durable-object (workerd)',
    hasItem: call('hasItem'),
    getItem: call('getItem'),
    getItemRaw: call('getItemRaw'),
    setItem: call('setItem'),
    setItemRaw: call('setItemRaw'),
    removeItem: call('removeItem'),
    getKeys: call('getKeys'),
    clear: call('clear'),
  }
}

describeStorage('durable-object driver [workerd]', () => createStorage({ driver: remoteDriver() }))

describe('durable-object driver limits [workerd]', () => {
  it('stores documents far above the 2 MB row limit in parts and reads them back whole', async () => {
    const storage = createStorage({ driver: remoteDriver() })
    const index = Object.fromEntries(Array.from({ length: 3_000 }, (_, entry) => [`agent:main:s${entry}`, { sessionId: `${entry}`, note: 'n'.repeat(1_500) }]))
    await storage.setItem('agents:main:sessions:sessions.json', index)
    expect(await storage.getItem('agents:main:sessions:sessions.json')).toEqual(index)
    const bytes = new Uint8Array(2_500_000).map((_, position) => position % 251)
    await storage.setItemRaw('runtime:blob.bin', bytes)
    expect(Buffer.from((await storage.getItemRaw('runtime:blob.bin')) as Uint8Array).equals(Buffer.from(bytes))).toBe(true)
    // A shorter rewrite leaves no parts of the longer value behind.
    await storage.setItem('agents:main:sessions:sessions.json', { small: true })
    expect(await storage.getItem('agents:main:sessions:sessions.json')).toEqual({ small: true })
    expect(await storage.getKeys('agents')).toEqual(['agents:main:sessions:sessions.json'])
  })

  it('keeps surrogate pairs whole across part boundaries', async () => {
    const storage = createStorage({ driver: remoteDriver() })
    const text = '😀'.repeat(400_000)
    await storage.setItemRaw('runtime:emoji.txt', text)
    expect(await storage.getItemRaw('runtime:emoji.txt')).toBe(text)
  })

  it('names the limit when a key is too long', async () => {
    const storage = createStorage({ driver: remoteDriver() })
    await expect(storage.setItem(`runtime:${'k'.repeat(3_000)}`, 'x')).rejects.toThrow(/key longer than 2048 bytes/)
  })
})
