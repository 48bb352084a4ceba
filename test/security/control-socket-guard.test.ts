import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type TestClient } from '../helpers/ws-client.js'

const gateways: { close(): Promise<void> }[] = []
const clients: TestClient[] = []
const raws: WebSocket[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  for (const socket of raws.splice(0)) socket.terminate()
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()))
})

async function gateway(options: Parameters<typeof startTestGateway>[0] = {}) {
  const started = await startTestGateway(options)
  gateways.push(started)
  return started
}

async function client(url: string, auth: { token?: string } = { token: TEST_TOKEN }, options: { origin?: string; headers?: Record<string, string> } = {}) {
  const opened = await openTestClient(url, auth, options)
  clients.push(opened)
  return opened
}

/** The HTTP status a refused upgrade answered with (ws reports it as "Unexpected server response: N"). */
function upgradeStatus(url: string, options: { origin?: string; headers?: Record<string, string> }): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, options)
    raws.push(socket)
    socket.once('open', () => resolve('open'))
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
    socket.once('error', () => undefined)
  })
}

describe('finding 1: browser origins and the failed-auth limiter', () => {
  it('refuses an upgrade from a foreign origin before auth, even with the right token', async () => {
    const { url, port } = await gateway()
    expect(await upgradeStatus(url, { origin: `http://localhost:${port + 1}` })).toBe(403)
    expect(await upgradeStatus(url, { origin: 'null' })).toBe(403)
    // The gateway's own origin (the Control UI it serves) and clients without Origin (CLIs) still connect.
    expect((await (await client(url, { token: TEST_TOKEN }, { origin: `http://127.0.0.1:${port}` })).connect()).ok).toBe(true)
    expect((await (await client(url)).connect()).ok).toBe(true)
  })

  it('accepts origins listed in gateway.controlUi.allowedOrigins', async () => {
    const { url } = await gateway({ configText: '{ gateway: { mode: "local", controlUi: { allowedOrigins: ["https://admin.example.com"] } } }\n' })
    expect((await (await client(url, { token: TEST_TOKEN }, { origin: 'https://admin.example.com' })).connect()).ok).toBe(true)
    expect(await upgradeStatus(url, { origin: 'https://evil.example.com' })).toBe(403)
  })

  it('a page on another origin cannot lock the owner out with wrong tokens', async () => {
    const { url, port } = await gateway({ control: { failedAuthLimits: { maxFailures: 3, windowMs: 60_000 } } })
    for (let attempt = 0; attempt < 11; attempt++) {
      expect(await upgradeStatus(url, { origin: `http://localhost:${port + 7}` })).toBe(403)
    }
    expect((await (await client(url, { token: TEST_TOKEN }, { origin: `http://127.0.0.1:${port}` })).connect()).ok).toBe(true)
  })

  it('behind a trusted proxy, keys the limiter on Fly-Client-IP so one client cannot lock out another', async () => {
    const { url } = await gateway({
      configText: '{ gateway: { mode: "local", trustedProxies: ["127.0.0.0/8"] } }\n',
      control: { failedAuthLimits: { maxFailures: 2, windowMs: 60_000 } },
    })
    for (let attempt = 0; attempt < 3; attempt++) {
      await (await client(url, { token: 'guess' }, { headers: { 'fly-client-ip': '203.0.113.9' } })).connect()
    }
    const attacker = await (await client(url, { token: TEST_TOKEN }, { headers: { 'fly-client-ip': '203.0.113.9' } })).connect()
    expect(attacker.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/too many failed/) })
    const owner = await (await client(url, { token: TEST_TOKEN }, { headers: { 'fly-client-ip': '198.51.100.4' } })).connect()
    expect(owner.ok).toBe(true)
  })

  it('ignores forwarding headers from peers that are not trusted proxies (no dodging the limiter)', async () => {
    const { url } = await gateway({ control: { failedAuthLimits: { maxFailures: 2, windowMs: 60_000 } } })
    for (let attempt = 0; attempt < 2; attempt++) {
      await (await client(url, { token: 'guess' }, { headers: { 'fly-client-ip': `203.0.113.${attempt}` } })).connect()
    }
    const dodge = await (await client(url, { token: TEST_TOKEN }, { headers: { 'fly-client-ip': '203.0.113.77' } })).connect()
    expect(dodge.error).toMatchObject({ code: 'UNAVAILABLE' })
  })
})

describe('finding 4: unauthenticated sockets', () => {
  it('closes a socket that sends a frame over the pre-auth cap with 1009, and allows large frames after hello-ok', async () => {
    const { url } = await gateway()
    const stranger = await client(url, {})
    await stranger.waitFor((frame) => frame.event === 'connect.challenge')
    stranger.sendRaw('x'.repeat(64 * 1024))
    expect((await stranger.closed).code).toBe(1009)

    const owner = await client(url)
    expect((await owner.connect()).ok).toBe(true)
    const big = await owner.request('health', { padding: 'y'.repeat(1024 * 1024) })
    expect(big.type).toBe('res')
  })

  it('bounds pending unauthenticated sockets per client address and frees a slot when one closes', async () => {
    const { url } = await gateway()
    const idle: TestClient[] = []
    for (let index = 0; index < 8; index++) idle.push(await client(url, {}))
    expect(await upgradeStatus(url, {})).toBe(429)
    idle[0]!.close()
    await idle[0]!.closed
    const next = await client(url)
    expect((await next.connect()).ok).toBe(true)
    // Authenticated sockets do not count: after hello-ok there is room again.
    expect(await upgradeStatus(url, {})).toBe('open')
  })
})

describe('finding 5: token rotation', () => {
  it('closes sockets opened with the old token (1012 + reason) and keeps serving the new one', async () => {
    const { url, deps } = await gateway()
    const stale = await client(url)
    expect((await stale.connect()).ok).toBe(true)
    deps.state.auth = { mode: 'token', token: 'rotated-token-1234', generated: false }
    stale.sendRaw(JSON.stringify({ type: 'req', id: 'after-rotation', method: 'config.get', params: {} }))
    expect(await stale.closed).toEqual({ code: 1012, reason: 'gateway auth changed; reconnect with the new credentials' })
    expect(stale.received.some((frame) => frame.id === 'after-rotation')).toBe(false)
    const fresh = await client(url, { token: 'rotated-token-1234' })
    expect((await fresh.connect()).ok).toBe(true)
    expect((await fresh.request('config.get', {})).ok).toBe(true)
  })

  it('closes the other stale sockets as soon as a request rotated the token', async () => {
    const { url, deps } = await gateway()
    const first = await client(url)
    const second = await client(url)
    await first.connect()
    await second.connect()
    const snapshot = await first.request('config.get', {})
    // The test runtime applies config but not auth; do what the Node reloader does for gateway.auth.
    const reload = deps.reloadConfig
    deps.reloadConfig = async () => {
      const outcome = await reload()
      deps.state.auth = { mode: 'token', token: 'patched-token-5678', generated: false }
      return outcome
    }
    first.sendRaw(JSON.stringify({ type: 'req', id: 'rotate', method: 'config.patch', params: { raw: '{ gateway: { auth: { token: "patched-token-5678" } } }', baseHash: snapshot.payload.hash } }))
    expect((await first.waitFor((frame) => frame.id === 'rotate')).ok).toBe(true)
    expect((await second.closed).code).toBe(1012)
  })
})
