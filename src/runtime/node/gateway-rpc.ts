import WebSocket from 'ws'
import { VERSION } from '../../version.js'

/** One request/response connection to a running gateway's control socket, as a CLI client. */
export interface GatewayRpc {
  request<T = unknown>(method: string, params?: unknown): Promise<T>
  close(): void
}

/** An RPC the gateway answered with `ok:false`; the message is the gateway's. */
export class GatewayRpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'GatewayRpcError'
  }
}

/**
 * Opens the control socket, waits for the challenge, connects as a CLI operator with the token or password, and
 * resolves once `hello-ok` arrived. Every wait is bounded by `timeoutMs`.
 */
export async function openGatewayRpc(url: string, auth: { token?: string; password?: string }, timeoutMs: number): Promise<GatewayRpc> {
  const socket = new WebSocket(url)
  const pending = new Map<string, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  let nextId = 0
  let challenge!: () => void
  const challenged = new Promise<void>((resolve) => (challenge = resolve))
  const failAll = (error: Error) => {
    for (const waiter of pending.values()) waiter.reject(error)
    pending.clear()
  }
  socket.on('message', (data) => {
    let frame: { type?: string; id?: string; ok?: boolean; payload?: unknown; error?: { code?: string; message?: string }; event?: string }
    try {
      frame = JSON.parse(String(data))
    } catch {
      return
    }
    if (frame.type === 'event' && frame.event === 'connect.challenge') challenge()
    if (frame.type !== 'res' || frame.id === undefined) return
    const waiter = pending.get(frame.id)
    if (!waiter) return
    pending.delete(frame.id)
    if (frame.ok) waiter.resolve(frame.payload)
    else waiter.reject(new GatewayRpcError(frame.error?.code ?? 'UNAVAILABLE', frame.error?.message ?? 'request failed'))
  })
  socket.on('close', (code, reason) => failAll(new Error(`the gateway closed the connection (${code}${reason.length ? `: ${reason.toString()}` : ''})`)))
  socket.on('error', (error) => failAll(error))

  const request = <T>(method: string, params: unknown = {}): Promise<T> =>
    withTimeout(
      new Promise<T>((resolve, reject) => {
        const id = `cli-${++nextId}`
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
        socket.send(JSON.stringify({ type: 'req', id, method, params }))
      }),
      timeoutMs,
      `no answer to ${method} within ${timeoutMs} ms`,
    )

  await withTimeout(
    new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    }),
    timeoutMs,
    `could not connect within ${timeoutMs} ms`,
  )
  // The gateway sends a challenge first; the upstream UI also connects without one after a short wait.
  await withTimeout(challenged, Math.min(timeoutMs, 2_000), 'no challenge').catch(() => undefined)
  await request('connect', {
    minProtocol: 3,
    maxProtocol: 3,
    client: { id: 'clawdbot-edge-cli', version: VERSION, platform: process.platform, mode: 'cli' },
    role: 'operator',
    scopes: ['operator.admin'],
    caps: [],
    ...(auth.token || auth.password ? { auth } : {}),
  })
  return { request, close: () => socket.close() }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), timeoutMs)))
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
