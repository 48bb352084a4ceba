import type { AppDeps } from '../deps.js'
import { authenticateConnect } from './authenticate-connect.js'
import type { ConnectionInfo, ConnectionRegistry, ControlConnection, SendEventOptions } from './connections.js'
import { toConnectionInfo } from './connection-info.js'
import { isRecord, parseFrameText, truncateReason } from './frame-text.js'
import type { FailedAuthLimiter } from '../gateway/failed-auth-limiter.js'
import { toEventFrameText } from './event-frame-text.js'
import { buildHelloOk } from './hello-ok.js'
import { callMethod, type ChannelStatusProvider, type MethodDefinition } from './methods.js'
import { checkConnectFrame } from './connect-frame.js'
import {
  CLOSE_CODES,
  describeIssues,
  errorResponse,
  HANDSHAKE_TIMEOUT_MS,
  MAX_BUFFERED_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_PREAUTH_PAYLOAD_BYTES,
  okResponse,
  RequestFrameSchema,
  TICK_INTERVAL_MS,
  type ErrorShape,
  type EventFrame,
  type ResponseFrame,
} from './protocol.js'

/** The transport as the session sees it; routes.ts adapts hono's WSContext, tests use a recorder. */
export interface ControlSocket {
  send(text: string): void
  close(code: number, reason: string): void
  /** Bytes queued but not yet sent; 0 where the runtime cannot tell. */
  bufferedAmount(): number
  /** Lifts the transport's small pre-auth frame cap to the full one once the client authenticated. */
  allowLargeFrames?(): void
}

/** Everything one session needs; shared parts (registry, methods, limiter) come from createControlRoutes. */
export interface ControlSessionOptions {
  socket: ControlSocket
  deps: AppDeps
  connections: ConnectionRegistry
  methods: ReadonlyMap<string, MethodDefinition>
  events: readonly string[]
  limiter: FailedAuthLimiter
  remoteAddress?: string
  channelStatus?: ChannelStatusProvider
  timing?: Partial<{ handshakeTimeoutMs: number; tickIntervalMs: number; maxBufferedBytes: number }>
  /** Called once when the handshake ends, authenticated or not (routes.ts bounds pending sockets with it). */
  onHandshakeEnd?(): void
  /** Called after each request was answered; a request may have changed the gateway's auth (config.patch). */
  onRequestDone?(): void
  /** Masks env-derived values in an outgoing frame; `fileContent` marks a reply that carries the config file itself. */
  mask?(frame: ResponseFrame | EventFrame, fileContent: boolean): ResponseFrame | EventFrame
  /** The same masking for a frame that is already text (broadcast events are serialised once for every client). */
  maskText?(text: string): string
}

// Replies that carry the config file's own text: it holds `${NAME}` references, not values, and the Config tab writes
// it back, so masking there could only corrupt a literal the owner typed.
const FILE_CONTENT_METHODS = new Set(['config.get', 'config.set', 'config.apply', 'config.patch'])

type Phase = 'awaiting-connect' | 'authenticating' | 'connected' | 'closed'


/**
 * One control connection's state machine (spec/protocol.md §3): challenge on open, exactly one `connect`, then
 * `req` frames dispatched to the method table, with per-connection event `seq`, ticks and slow-consumer checks.
 */
export class ControlSession {
  readonly connId = crypto.randomUUID()
  #phase: Phase = 'awaiting-connect'
  #seq = 0
  #handshake?: Promise<void>
  #timers: { handshake?: () => void; tick?: () => void } = {}
  #connection?: ControlConnection
  /** The secret this socket authenticated against; once the gateway's secret differs, the socket is closed. */
  #credential?: string
  readonly #options: ControlSessionOptions
  readonly #timing: { handshakeTimeoutMs: number; tickIntervalMs: number; maxBufferedBytes: number }

  constructor(options: ControlSessionOptions) {
    this.#options = options
    this.#timing = { handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS, tickIntervalMs: TICK_INTERVAL_MS, maxBufferedBytes: MAX_BUFFERED_BYTES, ...options.timing }
  }

  get phase(): Phase {
    return this.#phase
  }

  /** Sends the challenge at once (the UI otherwise waits 750 ms) and starts the handshake clock. */
  open(): void {
    this.#write({ type: 'event', event: 'connect.challenge', payload: { nonce: crypto.randomUUID(), ts: this.#options.deps.now() } })
    this.#timers.handshake = this.#options.deps.scheduler.after(this.#timing.handshakeTimeoutMs, () => this.close(CLOSE_CODES.policyViolation, 'handshake timeout'))
  }

  /** Handles one inbound frame; resolves once its reply (if any) has been written. */
  async receive(data: unknown): Promise<void> {
    if (this.#phase === 'closed') return
    const limit = this.#phase === 'connected' ? MAX_PAYLOAD_BYTES : MAX_PREAUTH_PAYLOAD_BYTES
    if (frameExceeds(data, limit)) {
      return this.close(CLOSE_CODES.messageTooBig, this.#phase === 'connected' ? 'frame too large' : 'frame too large before connect')
    }
    // Frames sent right behind `connect` wait for its outcome instead of racing it.
    if (this.#phase === 'authenticating') await this.#handshake
    if (this.#phase === 'awaiting-connect') {
      this.#phase = 'authenticating'
      this.#handshake = this.#connect(data)
      return this.#handshake
    }
    if (this.#phase === 'connected') {
      if (this.revalidate()) return
      await this.#request(data)
      this.#options.onRequestDone?.()
    }
  }

  /**
   * Closes the socket when the gateway's secret changed since it authenticated (token rotation applied live), with
   * the restart code upstream's clients see when a gateway restarts for an auth change. True when it closed.
   */
  revalidate(): boolean {
    if (this.#phase !== 'connected' || this.#credential === undefined) return false
    if (currentSecret(this.#options.deps) === this.#credential) return false
    this.close(CLOSE_CODES.serviceRestart, 'gateway auth changed; reconnect with the new credentials')
    return true
  }

  /** Closes the socket (reason cut to the 123 bytes a close frame allows) and forgets the connection. */
  close(code: number, reason: string): void {
    if (this.#phase === 'closed') return
    this.closed()
    try {
      this.#options.socket.close(code, truncateReason(reason))
    } catch {
      // Already closing at the transport level; nothing left to tell the client.
    }
  }

  /** Called when the transport reports the socket closed: stops timers and tells the others it left. */
  closed(): void {
    if (this.#phase === 'closed') return
    if (this.#phase !== 'connected') this.#options.onHandshakeEnd?.()
    this.#phase = 'closed'
    this.#timers.handshake?.()
    this.#timers.tick?.()
    const { connections } = this.#options
    if (this.#connection && connections.remove(this.connId)) broadcastPresence(connections)
  }

  async #connect(data: unknown): Promise<void> {
    const checked = checkConnectFrame(data)
    if (!checked.ok) return this.#refuse(checked.id, checked.error, checked.closeCode, checked.reason)
    const { id, params } = checked
    const { deps, limiter } = this.#options
    if (deps.state.phase === 'stopping') {
      return this.#refuse(id, { code: 'UNAVAILABLE', message: 'gateway is shutting down', retryable: true }, CLOSE_CODES.serviceRestart, 'service restart')
    }
    const address = this.#options.remoteAddress ?? 'unknown'
    const retryAfterMs = limiter.retryAfter(address)
    if (retryAfterMs > 0) {
      const message = 'unauthorized: too many failed authentication attempts (retry later)'
      return this.#refuse(id, { code: 'UNAVAILABLE', message, retryable: true, retryAfterMs }, CLOSE_CODES.policyViolation, message)
    }
    // Read on every connect, so a token changed by hot reload applies to the next attempt.
    const failure = await authenticateConnect(params, deps.state.auth)
    if (failure) {
      limiter.recordFailure(address)
      deps.logger.child('control').warn(`refused connect from ${address}: ${failure.reason}`)
      return this.#refuse(id, { code: 'INVALID_REQUEST', message: failure.message }, CLOSE_CODES.policyViolation, failure.message)
    }
    limiter.recordSuccess(address)
    if (this.#phase !== 'authenticating') return
    this.#credential = currentSecret(deps)
    this.#timers.handshake?.()
    this.#connection = this.#createConnection(toConnectionInfo(this.connId, params, deps.now(), this.#options.remoteAddress))
    const { connections, methods, events } = this.#options
    const hello = await buildHelloOk({ deps, connections, connId: this.connId, methods: [...methods.keys()], events, tickIntervalMs: this.#timing.tickIntervalMs })
    if (this.#phase !== 'authenticating') return
    this.#write(okResponse(id, hello))
    this.#phase = 'connected'
    this.#options.onHandshakeEnd?.()
    this.#options.socket.allowLargeFrames?.()
    connections.add(this.#connection)
    broadcastPresence(connections)
    this.#timers.tick = deps.scheduler.every(this.#timing.tickIntervalMs, () => this.#tick())
  }

  async #request(data: unknown): Promise<void> {
    const raw = parseFrameText(data)
    const frame = RequestFrameSchema.safeParse(raw)
    if (!frame.success) {
      const id = isRecord(raw) && typeof raw.id === 'string' && raw.id !== '' ? raw.id : 'invalid'
      const detail = raw === undefined ? 'not a JSON text frame' : describeIssues(frame.error)
      return this.#write(errorResponse(id, { code: 'INVALID_REQUEST', message: `invalid request frame: ${detail}` }))
    }
    if (frame.data.method === 'connect') {
      return this.#write(errorResponse(frame.data.id, { code: 'INVALID_REQUEST', message: 'connect is only valid as the first request' }))
    }
    const { deps, connections, methods, channelStatus } = this.#options
    const response = await callMethod(methods, { deps, connections, connection: this.#connection!, channelStatus }, frame.data)
    this.#write(response, FILE_CONTENT_METHODS.has(frame.data.method))
  }

  #createConnection(info: ConnectionInfo): ControlConnection {
    return {
      info,
      watchedSessions: new Set(),
      sendEvent: (event, payload, options) => this.#sendEvent(event, payload, options),
      close: (code, reason) => this.close(code, reason),
    }
  }

  #sendEvent(event: string, payload: unknown, options: SendEventOptions = {}): boolean {
    if (this.#phase !== 'connected' || this.revalidate()) return false
    if (this.#options.socket.bufferedAmount() > this.#timing.maxBufferedBytes) {
      if (options.dropIfSlow) return false
      this.close(CLOSE_CODES.policyViolation, 'slow consumer')
      return false
    }
    // Counted per connection, only for events actually sent, so the UI never sees a false gap (spec §2).
    this.#seq += 1
    this.#write(toEventFrameText(event, payload, this.#seq, options.stateVersion))
    return true
  }

  #tick(): void {
    // A backlog still over the limit a whole tick later means the client is not reading: stop feeding it.
    if (this.#options.socket.bufferedAmount() > this.#timing.maxBufferedBytes) return this.close(CLOSE_CODES.policyViolation, 'slow consumer')
    this.#sendEvent('tick', { ts: this.#options.deps.now() }, { dropIfSlow: true })
  }

  #refuse(id: string, error: ErrorShape, code: number, reason: string): void {
    // The UI reads the `res` first and the close reason second, so both carry the message (spec §3.1).
    this.#write(errorResponse(id, error))
    this.close(code, reason)
  }

  #write(frame: ResponseFrame | EventFrame | string, fileContent = false): void {
    if (this.#phase === 'closed') return
    try {
      const { mask, maskText } = this.#options
      // Broadcast events arrive serialised once for every client; their text is masked as text.
      const text = typeof frame === 'string' ? (maskText ? maskText(frame) : frame) : JSON.stringify(mask ? mask(frame, fileContent) : frame)
      this.#options.socket.send(text)
    } catch (error) {
      this.#options.deps.logger.child('control').warn(`could not send to ${this.connId}: ${String(error)}`)
    }
  }
}

function currentSecret(deps: AppDeps): string {
  const auth = deps.state.auth
  return auth.mode === 'token' ? `token:${auth.token}` : `password:${auth.password}`
}

// Counts UTF-8 bytes, encoding only when the UTF-16 length cannot decide (a unit is 1 to 3 bytes).
function frameExceeds(data: unknown, limit: number): boolean {
  if (typeof data === 'string') {
    if (data.length > limit) return true
    return data.length * 3 > limit && new TextEncoder().encode(data).byteLength > limit
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength > limit
  if (data instanceof Blob) return data.size > limit
  return false
}

function broadcastPresence(connections: ConnectionRegistry): void {
  connections.announcePresence()
}
