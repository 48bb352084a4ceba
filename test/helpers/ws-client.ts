import WebSocket from 'ws'

export type Frame = { type: string; id?: string; ok?: boolean; payload?: any; error?: { code: string; message: string; details?: any }; event?: string; seq?: number }

export interface TestClient {
  socket: WebSocket
  /** Every frame received so far, in order. */
  received: Frame[]
  /** Resolves with the first frame (old or new) matching that no earlier wait took; rejects after `timeoutMs`. */
  waitFor(predicate: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>
  /** Sends a `req` and resolves with its `res`. */
  request(method: string, params?: unknown): Promise<Frame>
  /** Sends text as is (malformed frames, oversized frames). */
  sendRaw(text: string): void
  /** Performs the handshake the Control UI does; resolves with the `connect` response. */
  connect(overrides?: Record<string, unknown>): Promise<Frame>
  closed: Promise<{ code: number; reason: string }>
  close(): void
}

/** Connect params as the upstream Control UI sends them (spec/protocol.md §3.2). */
export function controlUiConnectParams(auth?: { token?: string; password?: string }): Record<string, unknown> {
  return {
    minProtocol: 3,
    maxProtocol: 3,
    client: { id: 'moltbot-control-ui', version: 'dev', platform: 'web', mode: 'webchat' },
    role: 'operator',
    scopes: ['operator.admin', 'operator.approvals', 'operator.pairing'],
    caps: [],
    ...(auth ? { auth } : {}),
    userAgent: 'vitest',
    locale: 'en-US',
  }
}

/** Opens a real `ws` client and resolves once the socket is open. */
export async function openTestClient(
  url: string,
  auth?: { token?: string; password?: string },
  options: { origin?: string; headers?: Record<string, string> } = {},
): Promise<TestClient> {
  const socket = new WebSocket(url, { maxPayload: 64 * 1024 * 1024, ...options })
  const received: Frame[] = []
  const taken = new Set<Frame>()
  const waiters: { predicate: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = []
  let nextId = 0
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Frame
    received.push(frame)
    const waiter = waiters.find((candidate) => candidate.predicate(frame))
    if (waiter) {
      waiters.splice(waiters.indexOf(waiter), 1)
      taken.add(frame)
      waiter.resolve(frame)
    }
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const client: TestClient = {
    socket,
    received,
    closed,
    waitFor(predicate, timeoutMs = 5_000) {
      const existing = received.find((frame) => !taken.has(frame) && predicate(frame))
      if (existing) {
        taken.add(existing)
        return Promise.resolve(existing)
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1)
          reject(new Error(`no matching frame within ${timeoutMs} ms; received: ${JSON.stringify(received).slice(0, 2_000)}`))
        }, timeoutMs)
        const waiter = {
          predicate,
          resolve: (frame: Frame) => {
            clearTimeout(timer)
            resolve(frame)
          },
        }
        waiters.push(waiter)
      })
    },
    request(method, params) {
      const id = `req-${++nextId}`
      const response = client.waitFor((frame) => frame.type === 'res' && frame.id === id)
      socket.send(JSON.stringify({ type: 'req', id, method, params }))
      return response
    },
    sendRaw: (text) => socket.send(text),
    async connect(overrides = {}) {
      await client.waitFor((frame) => frame.event === 'connect.challenge')
      return client.request('connect', { ...controlUiConnectParams(auth), ...overrides })
    },
    close: () => socket.close(),
  }
  return client
}
