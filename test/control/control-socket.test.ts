import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createConnectionRegistry } from '../../src/control/connections.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type TestClient } from '../helpers/ws-client.js'

const gateways: { close(): Promise<void> }[] = []
const clients: TestClient[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()))
})

async function gateway(options: Parameters<typeof startTestGateway>[0] = {}) {
  const started = await startTestGateway(options)
  gateways.push(started)
  return started
}

async function client(url: string, auth: { token?: string; password?: string } | null = { token: TEST_TOKEN }) {
  const opened = await openTestClient(url, auth ?? undefined)
  clients.push(opened)
  return opened
}

describe('WS / handshake', () => {
  it('sends connect.challenge at once and answers a good token with hello-ok', async () => {
    const { url } = await gateway()
    const socket = await client(url)
    const response = await socket.connect()
    const challenge = socket.received[0]!
    expect(challenge).toMatchObject({ type: 'event', event: 'connect.challenge', payload: { nonce: expect.any(String), ts: expect.any(Number) } })
    expect(challenge.seq).toBeUndefined()
    expect(response.ok).toBe(true)
    const hello = response.payload
    expect(hello).toMatchObject({
      type: 'hello-ok',
      protocol: 3,
      server: { version: expect.any(String), connId: expect.any(String) },
      snapshot: {
        sessionDefaults: { defaultAgentId: 'main', mainKey: 'main', mainSessionKey: 'agent:main:main', scope: 'per-sender' },
        stateVersion: { presence: expect.any(Number), health: 1 },
        uptimeMs: 5_000,
        policy: { maxPayload: 8 * 1024 * 1024, tickIntervalMs: 30_000 },
      },
      policy: { maxPayload: 8 * 1024 * 1024, maxBufferedBytes: expect.any(Number), tickIntervalMs: 30_000 },
    })
    expect(hello.auth).toBeUndefined()
    expect(hello.features.methods).toEqual(expect.arrayContaining(['health', 'config.get', 'config.set', 'logs.tail', 'channels.status']))
    expect(hello.snapshot.presence).toEqual([])
    const presence = await socket.waitFor((frame) => frame.event === 'presence')
    expect(presence).toMatchObject({ seq: 1, payload: { presence: [{ host: 'moltbot-control-ui', ip: '127.0.0.1', mode: 'webchat' }] } })
  })

  it('refuses a wrong token with res ok:false, then closes 1008 with upstream wording', async () => {
    const { url } = await gateway()
    const socket = await client(url, { token: 'wrong' })
    const response = await socket.connect()
    expect(response.error).toEqual({ code: 'INVALID_REQUEST', message: expect.stringMatching(/^unauthorized: gateway token mismatch \(/) })
    expect(await socket.closed).toEqual({ code: 1008, reason: response.error!.message })
  })

  it('refuses a connect without auth as token missing', async () => {
    const { url } = await gateway()
    const socket = await client(url, null)
    const response = await socket.connect()
    expect(response.error!.message).toMatch(/^unauthorized: gateway token missing \(open a tokenized dashboard URL/)
    expect((await socket.closed).code).toBe(1008)
  })

  it('accepts the password in password mode and refuses a token there', async () => {
    const { url } = await gateway({ state: { auth: { mode: 'password', password: 'hunter2-secret' } } })
    const good = await client(url, { password: 'hunter2-secret' })
    expect((await good.connect()).ok).toBe(true)
    const bad = await client(url, { token: 'hunter2-secret' })
    expect((await bad.connect()).error!.message).toMatch(/^unauthorized: gateway password missing/)
    expect((await bad.closed).code).toBe(1008)
  })

  it('applies a token changed by hot reload to the next connect', async () => {
    const started = await gateway()
    started.deps.state.auth = { mode: 'token', token: 'rotated-token', generated: false }
    const old = await client(started.url)
    expect((await old.connect()).ok).toBe(false)
    const fresh = await client(started.url, { token: 'rotated-token' })
    expect((await fresh.connect()).ok).toBe(true)
  })

  it('closes 1002 on a protocol mismatch', async () => {
    const { url } = await gateway()
    const socket = await client(url)
    const response = await socket.connect({ minProtocol: 4, maxProtocol: 4 })
    expect(response.error).toMatchObject({ code: 'INVALID_REQUEST', message: 'protocol mismatch', details: { expectedProtocol: 3 } })
    expect(await socket.closed).toEqual({ code: 1002, reason: 'protocol mismatch' })
  })

  it('accepts unknown client ids, extra fields and a device block', async () => {
    const { url } = await gateway()
    const socket = await client(url)
    const response = await socket.connect({ client: { id: 'openclaw-control-ui', mode: 'webchat', platform: '', future: 1 }, device: { id: 'x', publicKey: 'y', signature: 'z', signedAt: 1 }, extra: true })
    expect(response.ok).toBe(true)
    expect(response.payload.auth).toBeUndefined()
  })

  it('closes 1008 when the first frame is not connect', async () => {
    const { url } = await gateway()
    const socket = await client(url)
    await socket.waitFor((frame) => frame.event === 'connect.challenge')
    socket.sendRaw('{not json')
    const response = await socket.waitFor((frame) => frame.type === 'res')
    expect(response).toMatchObject({ id: 'invalid', ok: false, error: { code: 'INVALID_REQUEST' } })
    expect(await socket.closed).toEqual({ code: 1008, reason: 'invalid handshake: first request must be connect' })
  })

  it('rate-limits failed authentication per client address', async () => {
    const { url } = await gateway({ control: { failedAuthLimits: { maxFailures: 2, windowMs: 60_000 } } })
    for (let attempt = 0; attempt < 2; attempt++) {
      const bad = await client(url, { token: 'guess' })
      expect((await bad.connect()).error!.message).toMatch(/token mismatch/)
    }
    const limited = await client(url)
    const response = await limited.connect()
    expect(response.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/too many failed/), retryAfterMs: expect.any(Number) })
    expect((await limited.closed).code).toBe(1008)
  })
})

describe('WS / frames after the handshake', () => {
  it('answers malformed JSON, unknown methods and a second connect without closing', async () => {
    const { url } = await gateway()
    const socket = await client(url)
    await socket.connect()
    socket.sendRaw('this is not json')
    expect(await socket.waitFor((frame) => frame.type === 'res')).toMatchObject({ id: 'invalid', ok: false, error: { code: 'INVALID_REQUEST' } })
    socket.sendRaw(JSON.stringify({ type: 'req', id: 'no-method' }))
    expect(await socket.waitFor((frame) => frame.id === 'no-method')).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } })
    expect((await socket.request('nope.nothing', {})).error).toEqual({ code: 'INVALID_REQUEST', message: 'unknown method: nope.nothing' })
    expect((await socket.request('connect', {})).error!.message).toBe('connect is only valid as the first request')
    expect((await socket.request('node.list', {})).payload).toEqual({ nodes: [] })
  })

  it('closes an oversized frame with 1009', async () => {
    const { url } = await gateway()
    const socket = await client(url)
    await socket.connect()
    socket.sendRaw('x'.repeat(8 * 1024 * 1024 + 1))
    expect((await socket.closed).code).toBe(1009)
  })

  it('accepts a frame just under the cap (a pasted image)', async () => {
    const { url } = await gateway()
    const socket = await client(url)
    await socket.connect()
    const response = await socket.request('node.list', { padding: 'x'.repeat(7 * 1024 * 1024) })
    expect(response.ok).toBe(true)
  })
})

describe('WS / routing and lifecycle', () => {
  it('upgrades on a non-API path but keeps / serving the home page to plain GETs', async () => {
    const { url, httpUrl } = await gateway()
    const deep = await client(`${url}chat?session=main`)
    expect((await deep.connect()).ok).toBe(true)
    const home = await fetch(`${httpUrl}/`)
    expect(home.status).toBe(200)
    expect(await home.text()).toContain('Clawdbot gateway')
    expect((await fetch(`${httpUrl}/health`)).status).toBe(200)
    const refused = new WebSocket(`${url}api/health`)
    const outcome = await new Promise<string>((resolve) => {
      refused.on('open', () => resolve('open'))
      refused.on('unexpected-response', (_request, response) => resolve(`status ${response.statusCode}`))
      refused.on('error', () => resolve('error'))
    })
    expect(outcome).not.toBe('open')
    refused.terminate()
  })

  it('broadcasts to every connected client with per-connection seq', async () => {
    const connections = createConnectionRegistry()
    const { url } = await gateway({ control: { connections } })
    const first = await client(url)
    await first.connect()
    const second = await client(url)
    await second.connect()
    expect(connections.size).toBe(2)
    const delivered = connections.broadcast('chat', { runId: 'r1', sessionKey: 'agent:main:main', state: 'final' })
    expect(delivered).toBe(2)
    const one = await first.waitFor((frame) => frame.event === 'chat')
    const two = await second.waitFor((frame) => frame.event === 'chat')
    expect(one.payload).toEqual({ runId: 'r1', sessionKey: 'agent:main:main', state: 'final' })
    // first saw its own presence and second's join; second only its own join.
    expect([one.seq, two.seq]).toEqual([3, 2])
    second.close()
    const left = await first.waitFor((frame) => frame.event === 'presence' && frame.payload.presence.length === 1 && frame.seq === 4)
    expect(left.payload.presence).toHaveLength(1)
  })

  it('closes open sockets with 1012 when the listeners drain', async () => {
    const started = await startTestGateway()
    const socket = await client(started.url)
    await socket.connect()
    const pending = await client(started.url)
    await started.close()
    expect(await socket.closed).toEqual({ code: 1012, reason: 'service restart' })
    expect((await pending.closed).code).toBe(1012)
  })
})
