import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { makeTestDeps, TEST_TOKEN } from '../../test/helpers/make-test-deps.js'
import { builtInMethods } from './built-in-methods.js'
import { createConnectionRegistry } from './connections.js'
import { ControlSession, type ControlSocket } from './control-session.js'
import { createFailedAuthLimiter } from '../gateway/failed-auth-limiter.js'
import { createMethodTable, defineMethod, MethodError, NoParams } from './methods.js'

function recordingSocket() {
  const sent: any[] = []
  const socket: ControlSocket & { sent: any[]; closedWith?: { code: number; reason: string }; buffered: number } = {
    sent,
    buffered: 0,
    send: (text) => void sent.push(JSON.parse(text)),
    close: (code, reason) => void (socket.closedWith = { code, reason }),
    bufferedAmount: () => socket.buffered,
  }
  return socket
}

const CONNECT = { type: 'req', id: 'c1', method: 'connect', params: { minProtocol: 3, maxProtocol: 3, client: { id: 'moltbot-control-ui', mode: 'webchat' }, auth: { token: TEST_TOKEN } } }

async function setup(options: { extraMethods?: Parameters<typeof createMethodTable>[0] } = {}) {
  const { deps, advance } = await makeTestDeps()
  const socket = recordingSocket()
  const connections = createConnectionRegistry()
  const methods = createMethodTable([...builtInMethods(), ...(options.extraMethods ?? [])])
  const session = new ControlSession({
    socket,
    deps,
    connections,
    methods,
    events: ['tick', 'presence'],
    limiter: createFailedAuthLimiter(deps.now),
    remoteAddress: '10.0.0.9',
    timing: { handshakeTimeoutMs: 1_000, tickIntervalMs: 100, maxBufferedBytes: 1_000 },
  })
  session.open()
  return { deps, socket, connections, session, advance }
}

describe('ControlSession', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] }))
  afterEach(() => void vi.useRealTimers())

  it('walks challenge → connect → hello-ok → request → response, stamping seq only on events', async () => {
    const { socket, session, connections } = await setup()
    expect(socket.sent).toEqual([{ type: 'event', event: 'connect.challenge', payload: { nonce: expect.any(String), ts: 1_800_000_000_000 } }])
    expect(session.phase).toBe('awaiting-connect')

    await session.receive(JSON.stringify(CONNECT))
    expect(session.phase).toBe('connected')
    expect(socket.sent[1]).toMatchObject({ type: 'res', id: 'c1', ok: true, payload: { type: 'hello-ok', server: { connId: session.connId } } })
    expect(socket.sent[2]).toMatchObject({ type: 'event', event: 'presence', seq: 1, stateVersion: { presence: 2, health: 1 } })
    expect(connections.get(session.connId)?.info).toMatchObject({ clientId: 'moltbot-control-ui', role: 'operator', scopes: ['operator.admin'], remoteAddress: '10.0.0.9' })

    await session.receive(JSON.stringify({ type: 'req', id: 'r1', method: 'cron.status' }))
    expect(socket.sent[3]).toEqual({ type: 'res', id: 'r1', ok: true, payload: { enabled: false, jobs: 0 } })
    vi.advanceTimersByTime(100)
    expect(socket.sent[4]).toMatchObject({ type: 'event', event: 'tick', seq: 2, payload: { ts: expect.any(Number) } })
  })

  it('closes with 1008 when no connect arrives before the handshake timeout', async () => {
    const { socket, session } = await setup()
    vi.advanceTimersByTime(999)
    expect(socket.closedWith).toBeUndefined()
    vi.advanceTimersByTime(1)
    expect(socket.closedWith).toEqual({ code: 1008, reason: 'handshake timeout' })
    expect(session.phase).toBe('closed')
  })

  it('refuses a non-connect first request with res then 1008', async () => {
    const { socket, session } = await setup()
    await session.receive(JSON.stringify({ type: 'req', id: 'x', method: 'health' }))
    expect(socket.sent[1]).toEqual({ type: 'res', id: 'x', ok: false, error: { code: 'INVALID_REQUEST', message: 'invalid handshake: first request must be connect' } })
    expect(socket.closedWith?.code).toBe(1008)
    expect(session.phase).toBe('closed')
    await session.receive(JSON.stringify(CONNECT))
    expect(socket.sent).toHaveLength(2)
  })

  it('reports bad params as invalid <method> params and handler failures as UNAVAILABLE or their own code', async () => {
    const failing = defineMethod('test.crash', NoParams, () => {
      throw new Error('boom')
    })
    const refusing = defineMethod('test.refuse', NoParams, () => {
      throw new MethodError('NOT_LINKED', 'not linked here', { hint: 1 })
    })
    const { socket, session, deps } = await setup({ extraMethods: [failing, refusing] })
    await session.receive(JSON.stringify(CONNECT))
    await session.receive(JSON.stringify({ type: 'req', id: 'p', method: 'logs.tail', params: { limit: 'many' } }))
    await session.receive(JSON.stringify({ type: 'req', id: 'c', method: 'test.crash' }))
    await session.receive(JSON.stringify({ type: 'req', id: 'r', method: 'test.refuse' }))
    const byId = (id: string) => socket.sent.find((frame) => frame.id === id)
    expect(byId('p').error).toEqual({ code: 'INVALID_REQUEST', message: expect.stringMatching(/^invalid logs\.tail params: limit: /) })
    expect(byId('c').error).toEqual({ code: 'UNAVAILABLE', message: 'test.crash failed; see the gateway logs' })
    expect(byId('r').error).toEqual({ code: 'NOT_LINKED', message: 'not linked here', details: { hint: 1 } })
    expect(deps.logRing.lines().some((line) => line.record.message.includes('boom'))).toBe(true)
  })

  it('drops droppable events and closes 1008 for others when the client is a slow consumer', async () => {
    const { socket, session, connections } = await setup()
    await session.receive(JSON.stringify(CONNECT))
    socket.buffered = 5_000
    const sentBefore = socket.sent.length
    expect(connections.broadcast('presence', {}, undefined, { dropIfSlow: true })).toBe(0)
    expect(socket.sent.length).toBe(sentBefore)
    expect(socket.closedWith).toBeUndefined()
    expect(connections.broadcast('chat', { state: 'delta' })).toBe(0)
    expect(socket.closedWith).toEqual({ code: 1008, reason: 'slow consumer' })
    expect(connections.size).toBe(0)
  })

  it('closes a consumer whose backlog is still over the limit at a tick', async () => {
    const { socket, session } = await setup()
    await session.receive(JSON.stringify(CONNECT))
    socket.buffered = 5_000
    vi.advanceTimersByTime(100)
    expect(socket.closedWith).toEqual({ code: 1008, reason: 'slow consumer' })
  })

  it('leaves the registry and tells the others when the socket closes', async () => {
    const first = await setup()
    await first.session.receive(JSON.stringify(CONNECT))
    first.session.closed()
    expect(first.connections.size).toBe(0)
    vi.advanceTimersByTime(1_000)
    expect(first.socket.sent.filter((frame) => frame.event === 'tick')).toEqual([])
  })
})
