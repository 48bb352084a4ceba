import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { makeTestDeps, TEST_TOKEN } from '../helpers/make-test-deps.js'
import { serveApp } from '../helpers/serve-app.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient } from '../helpers/ws-client.js'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const ENABLED = '{ gateway: { http: { endpoints: { chatCompletions: { enabled: true } } } } }'

describe('finding 6: one failed-auth limiter for HTTP and WebSocket', () => {
  it('throttles wrong bearer tokens on /api/health with 429 + Retry-After', async () => {
    const { deps } = await makeTestDeps()
    const app = createApp(deps, { control: { failedAuthLimits: { maxFailures: 5, windowMs: 60_000 } } })
    const health = (token: string) => app.request('/api/health', { headers: { authorization: `Bearer ${token}` } })
    for (let attempt = 0; attempt < 5; attempt++) expect((await health(`guess-${attempt}`)).status).toBe(401)
    const limited = await health('guess-5')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await limited.json()).error.message).toMatch(/too many failed authentication attempts/)
  })

  it('counts HTTP and WebSocket failures against the same budget', async () => {
    const gateway = await startTestGateway({ control: { failedAuthLimits: { maxFailures: 3, windowMs: 60_000 } } })
    cleanups.push(gateway.close)
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await fetch(`${gateway.httpUrl}/api/health`, { headers: { authorization: 'Bearer nope' } })
      expect(response.status).toBe(401)
    }
    const socket = await openTestClient(gateway.url, { token: TEST_TOKEN })
    cleanups.push(async () => socket.close())
    expect((await socket.connect()).error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/too many failed/) })
  })
})

describe('finding 7: one streaming, byte-counting body reader with per-route caps', () => {
  async function served(configText = ENABLED) {
    const { deps } = await makeTestDeps({ configText })
    const server = await serveApp(createApp(deps))
    cleanups.push(server.close)
    return server
  }

  /** Sends an endless chunked body and reports the status and how much was sent before the answer came. */
  async function chunkedFlood(url: string, headers: Record<string, string>): Promise<{ status: number; sentBytes: number }> {
    let sentBytes = 0
    const chunk = new Uint8Array(64 * 1024).fill(0x41)
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Stops by itself far beyond every cap, so a reader that buffers everything shows up as a huge sentBytes.
        if (sentBytes >= 64 * 1024 * 1024) return controller.close()
        sentBytes += chunk.byteLength
        controller.enqueue(chunk)
      },
    })
    const response = await fetch(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit)
    await response.arrayBuffer()
    return { status: response.status, sentBytes }
  }

  it('answers a chunked pairing body past 4 KiB with 413 without reading the rest', async () => {
    const server = await served()
    const result = await chunkedFlood(`${server.url}/api/pairing/discord/approve`, { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' })
    expect(result.status).toBe(413)
    expect(result.sentBytes).toBeLessThan(16 * 1024 * 1024)
  })

  it('answers a chunked chat-completions body past 8 MiB with 413, counting bytes not UTF-16 units', async () => {
    const server = await served()
    const result = await chunkedFlood(`${server.url}/v1/chat/completions`, { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' })
    expect(result.status).toBe(413)
    expect(result.sentBytes).toBeLessThan(32 * 1024 * 1024)

    const { deps } = await makeTestDeps({ configText: ENABLED })
    const app = createApp(deps)
    // 3 million three-byte characters: 3 M UTF-16 units (under 8 MiB) but 9 MB of UTF-8 (over it).
    const wide = JSON.stringify({ model: 'agent:main', messages: [{ role: 'user', content: '€'.repeat(3_000_000) }] })
    const response = await app.request('/v1/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}` }, body: wide })
    expect(response.status).toBe(413)
    expect((await response.json()).error.message).toMatch(/^\[openai\] request body is larger than 8 MiB/)
  })

  it('refuses a declared Content-Length over the cap before reading', async () => {
    const { deps } = await makeTestDeps()
    const app = createApp(deps)
    const response = await app.request('/api/pairing/discord/approve', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-length': String(200 * 1024 * 1024) },
      body: '{"code":"X"}',
    })
    expect(response.status).toBe(413)
  })

  it('no route under src/ reads a request body except through readBody', () => {
    const root = join(import.meta.dirname, '../../src')
    const offenders: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name)
        if (statSync(path).isDirectory()) {
          if (name !== 'ui' && name !== 'runtime' && name !== 'scripts') walk(path)
          continue
        }
        if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue
        const text = readFileSync(path, 'utf8')
        // read-body.ts is the reader itself; guarded-fetch.ts reads outbound bodies (a request we send, a response we
        // receive), never a client's request to us.
        const exempt = path.endsWith('read-body.ts') || path.endsWith('guarded-fetch.ts')
        if (/\bc\.req\.(json|text|arrayBuffer|blob|formData|parseBody)\(|\b(request|c\.req\.raw)\.(json|text|arrayBuffer|blob|formData)\(|\.body\.getReader\(/.test(text) && !exempt) {
          offenders.push(relative(root, path))
        }
      }
    }
    walk(root)
    expect(offenders).toEqual([])
  })
})
