import type { ErrorShape, Frame, HelloOk } from './protocol-types.js'
import { randomId } from './random-id.js'

/** Where the connection stands; the header pill and the login screen render this. */
export type ConnectionState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'connected'; hello: HelloOk }
  | { kind: 'waiting'; retryAt: number; reason: string }
  | { kind: 'auth-failed'; message: string; tokenSent: boolean }
  | { kind: 'stopped' }

/** A failed request: the server's message, plus its code and details (config issues live in `details`). */
export class GatewayRequestError extends Error {
  readonly code: string
  readonly details: unknown
  constructor(error: ErrorShape | undefined) {
    super(error?.message ?? 'request failed')
    this.name = 'GatewayRequestError'
    this.code = error?.code ?? 'UNAVAILABLE'
    this.details = error?.details
  }
}

const PROTOCOL_VERSION = 3
const CHALLENGE_WAIT_MS = 750
const BACKOFF_START_MS = 800
const BACKOFF_FACTOR = 1.7
const BACKOFF_MAX_MS = 15_000
const SERVICE_RESTART = 1012

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void }

/**
 * The browser side of the gateway WebSocket protocol v3: challenge → `connect` → `hello-ok`, request/response by
 * id, events to listeners, and reconnects forever with backoff (0.8 s × 1.7, at most 15 s). A refused token stops
 * the loop until the user supplies another one; close code 1012 (restart) reconnects quietly.
 */
export class GatewayClient {
  readonly #url: string
  readonly #token: () => string | undefined
  readonly #version: string
  #socket: WebSocket | undefined
  #state: ConnectionState = { kind: 'stopped' }
  #attempt = 0
  #retryTimer: ReturnType<typeof setTimeout> | undefined
  #pending = new Map<string, Pending>()
  #eventListeners = new Set<(event: string, payload: unknown) => void>()
  #stateListeners = new Set<(state: ConnectionState) => void>()

  constructor(options: { url: string; token: () => string | undefined; version: string }) {
    this.#url = options.url
    this.#token = options.token
    this.#version = options.version
  }

  get state(): ConnectionState {
    return this.#state
  }

  /** Opens the connection now, dropping any pending retry (login submit, "retry now", coming back online). */
  connect(): void {
    clearTimeout(this.#retryTimer)
    this.#teardown()
    this.#open()
  }

  stop(): void {
    clearTimeout(this.#retryTimer)
    this.#teardown()
    this.#setState({ kind: 'stopped' })
  }

  /** Sends a request and resolves with its payload; rejects with `GatewayRequestError` or when not connected. */
  request<T = unknown>(method: string, params: unknown = {}): Promise<T> {
    const socket = this.#socket
    if (this.#state.kind !== 'connected' || socket === undefined || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new Error('not connected to the gateway'))
    }
    return this.#send<T>(socket, method, params)
  }

  onEvent(listener: (event: string, payload: unknown) => void): () => void {
    this.#eventListeners.add(listener)
    return () => this.#eventListeners.delete(listener)
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.#stateListeners.add(listener)
    return () => this.#stateListeners.delete(listener)
  }

  #send<T>(socket: WebSocket, method: string, params: unknown): Promise<T> {
    const id = randomId()
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      socket.send(JSON.stringify({ type: 'req', id, method, params }))
    })
  }

  #open(): void {
    this.#attempt++
    this.#setState({ kind: 'connecting', attempt: this.#attempt })
    const socket = new WebSocket(this.#url)
    this.#socket = socket
    let challenged = false
    let fallback: ReturnType<typeof setTimeout> | undefined
    // The nonce only matters for signed device identities, which this UI does not use (spec §3.3, §3.4).
    const sendConnect = () => {
      if (challenged || socket.readyState !== WebSocket.OPEN) return
      challenged = true
      clearTimeout(fallback)
      void this.#handshake(socket)
    }
    socket.addEventListener('open', () => {
      fallback = setTimeout(() => sendConnect(), CHALLENGE_WAIT_MS)
    })
    socket.addEventListener('message', (message) => {
      if (socket !== this.#socket || typeof message.data !== 'string') return
      let frame: Frame
      try {
        frame = JSON.parse(message.data) as Frame
      } catch {
        return
      }
      if (frame.type === 'res') {
        const pending = this.#pending.get(frame.id)
        if (pending === undefined) return
        this.#pending.delete(frame.id)
        if (frame.ok) pending.resolve(frame.payload)
        else pending.reject(new GatewayRequestError(frame.error))
      } else if (frame.type === 'event') {
        if (frame.event === 'connect.challenge') {
          sendConnect()
          return
        }
        for (const listener of this.#eventListeners) listener(frame.event, frame.payload)
      }
    })
    socket.addEventListener('close', (event) => {
      clearTimeout(fallback)
      if (socket !== this.#socket) return
      this.#socket = undefined
      this.#rejectPending('disconnected from the gateway')
      if (this.#state.kind === 'auth-failed' || this.#state.kind === 'stopped') return
      // A restart after a config apply is expected: come back at once and say nothing.
      if (event.code === SERVICE_RESTART) {
        this.#attempt = 0
        this.#scheduleRetry(0, 'gateway restarting')
        return
      }
      const reason = event.reason ? `${event.reason}` : event.code === 1006 ? 'connection lost' : `closed (${event.code})`
      this.#scheduleRetry(this.#backoff(), reason)
    })
  }

  async #handshake(socket: WebSocket): Promise<void> {
    const token = this.#token()
    const params = {
      minProtocol: PROTOCOL_VERSION,
      maxProtocol: PROTOCOL_VERSION,
      client: { id: 'clawdbot-edge-ui', version: this.#version, platform: 'web', mode: 'webchat' },
      role: 'operator',
      scopes: ['operator.admin'],
      // Tool cards while a run works, also when verbose is off (see AgentEventBridge).
      caps: ['tool-events'],
      ...(token ? { auth: { token } } : {}),
      userAgent: navigator.userAgent,
      locale: navigator.language,
    }
    try {
      const hello = await this.#send<HelloOk>(socket, 'connect', params)
      if (socket !== this.#socket) return
      this.#attempt = 0
      this.#setState({ kind: 'connected', hello })
    } catch (error) {
      if (socket !== this.#socket) return
      const message = error instanceof Error ? error.message : String(error)
      if (/unauthori[sz]ed/i.test(message)) {
        this.#setState({ kind: 'auth-failed', message, tokenSent: Boolean(token) })
        this.#teardown()
        return
      }
      // Browsers may not deliver the server's 1008; close ourselves and let the close handler retry.
      socket.close(4008, 'connect failed')
    }
  }

  #backoff(): number {
    return Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * BACKOFF_FACTOR ** Math.max(0, this.#attempt - 1))
  }

  #scheduleRetry(delayMs: number, reason: string): void {
    clearTimeout(this.#retryTimer)
    this.#setState({ kind: 'waiting', retryAt: Date.now() + delayMs, reason })
    this.#retryTimer = setTimeout(() => this.#open(), delayMs)
  }

  #teardown(): void {
    const socket = this.#socket
    this.#socket = undefined
    this.#rejectPending('disconnected from the gateway')
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'client closing')
  }

  #rejectPending(message: string): void {
    for (const pending of this.#pending.values()) pending.reject(new Error(message))
    this.#pending.clear()
  }

  #setState(state: ConnectionState): void {
    this.#state = state
    for (const listener of this.#stateListeners) listener(state)
  }
}
