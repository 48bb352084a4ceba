import { Hono, type Context } from 'hono'
import type { WSContext } from 'hono/ws'
import type { AppDeps } from '../deps.js'
import { builtInMethods } from './built-in-methods.js'
import { createConnectionRegistry, type ConnectionRegistry } from './connections.js'
import { ControlSession, type ControlSessionOptions } from './control-session.js'
import type { FailedAuthLimits } from '../gateway/failed-auth-limiter.js'
import { createAuthGuard, type AuthGuard } from '../gateway/auth-guard.js'
import { createPendingSockets } from './pending-sockets.js'
import { createMethodTable, type ChannelStatusProvider, type MethodDefinition } from './methods.js'
import { socketBufferedAmount } from './socket-buffered-amount.js'
import { HANDSHAKE_TIMEOUT_MS } from './protocol.js'
import { isRecord } from './frame-text.js'
import { createEnvMasker } from '../gateway/env-masker.js'

/** Events we may send; advertised in `hello-ok.features.events`. */
export const BUILT_IN_EVENTS = ['connect.challenge', 'tick', 'presence'] as const

// HTTP API prefixes keep their own handlers even for an upgrade request; everything else may be the socket.
const HTTP_API_PATHS = [/^\/api(\/|$)/, /^\/v1(\/|$)/, /^\/tools(\/|$)/, /^\/hooks(\/|$)/, /^\/discord(\/|$)/, /^\/healthz?$/, /^\/avatar(\/|$)/]

/** What the runtime or the lead adds to the control socket. */
export interface ControlRouteExtras {
  /** More methods (e.g. `chat.*`, `sessions.*`); a name already built in is replaced. */
  methods?: readonly MethodDefinition[]
  /** Extra event names to advertise (e.g. `chat`, `agent`). */
  events?: readonly string[]
  /** Live channel state for `channels.status`; without it only config facts are reported. */
  channelStatus?: ChannelStatusProvider
  /** Share a registry to broadcast from outside (e.g. run events); a private one is made otherwise. */
  connections?: ConnectionRegistry
  /** The peer address for the failed-auth limiter; defaults to Cloudflare's `cf-connecting-ip` header. */
  clientAddress?: (c: Context) => string | undefined
  failedAuthLimits?: FailedAuthLimits
  /** Shared with the HTTP routes by createApp; built from the two fields above when absent. */
  guard?: AuthGuard
  /** Lifts the runtime's pre-auth frame cap for one socket (Node: the `ws` receiver's maxPayload). */
  allowLargeFrames?: (raw: unknown) => void
  timing?: ControlSessionOptions['timing']
}

/**
 * The WebSocket control endpoint (spec/protocol.md §1.1): an upgrade on `/` or any path that is not an HTTP API
 * route becomes a control session; plain requests fall through to the other routes. Without
 * `deps.upgradeWebSocket` (e.g. in `app.request` tests) it only falls through.
 * @example app.route('/', createControlRoutes(deps, { methods: chatMethods, connections }))
 */
export function createControlRoutes(deps: AppDeps, extras: ControlRouteExtras = {}): Hono {
  const routes = new Hono()
  const upgrade = deps.upgradeWebSocket
  if (!upgrade) return routes
  const connections = extras.connections ?? createConnectionRegistry({ scheduler: deps.scheduler })
  const methods = createMethodTable([...builtInMethods(), ...(extras.methods ?? [])])
  const events = [...new Set([...BUILT_IN_EVENTS, ...(extras.events ?? [])])]
  const guard = extras.guard ?? createAuthGuard(deps, { peer: extras.clientAddress, limits: extras.failedAuthLimits })
  const logger = deps.logger.child('control')
  const pending = createPendingSockets(deps.scheduler, (extras.timing?.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS) * 2)
  const sessions = new Set<ControlSession>()
  const masker = createEnvMasker(deps)
  const mask: ControlSessionOptions['mask'] = (frame, fileContent) => {
    if (!fileContent || frame.type !== 'res' || !frame.ok || !isRecord(frame.payload)) return masker.maskValue(frame)
    const { raw, parsed, config, ...rest } = frame.payload
    return { ...frame, payload: { ...masker.maskValue(rest), raw, parsed, config } }
  }
  // A request may rotate the secret (config.patch); every socket authenticated with the old one goes at once.
  const revalidateAll = () => {
    for (const open of sessions) open.revalidate()
  }

  const handleUpgrade = upgrade((c) => {
    const remoteAddress = guard.clientAddress(c)
    const release = c.get(PENDING_TICKET) as (() => void) | undefined
    let session: ControlSession | undefined
    const start = (ws: WSContext<unknown>): ControlSession => {
      const current = new ControlSession({
        socket: toControlSocket(ws, extras.allowLargeFrames),
        deps,
        connections,
        methods,
        events,
        limiter: guard.limiter,
        remoteAddress,
        channelStatus: extras.channelStatus,
        timing: extras.timing,
        onHandshakeEnd: () => release?.(),
        onRequestDone: revalidateAll,
        mask,
        maskText: (text) => masker.maskText(text),
      })
      session = current
      sessions.add(current)
      current.open()
      return current
    }
    return {
      onOpen: (_event, ws) => void start(ws),
      onMessage: (event, ws) => {
        // hono's Workers adapter never calls onOpen; there the session starts with the first frame (the UI
        // sends `connect` 750 ms after opening when no challenge came).
        const current = session ?? start(ws)
        current.receive(event.data).catch((error: unknown) => logger.error(`control frame failed: ${String(error)}`))
      },
      onClose: () => {
        release?.()
        if (!session) return
        sessions.delete(session)
        session.closed()
      },
    }
  })

  routes.use('*', async (c, next) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return next()
    if (HTTP_API_PATHS.some((pattern) => pattern.test(c.req.path))) return next()
    // Before any auth: a page on another origin must neither talk to the gateway nor burn the owner's auth budget.
    if (!guard.originAllowed(c)) {
      logger.warn(`refused WebSocket upgrade from origin ${JSON.stringify(c.req.header('origin')?.slice(0, 200))}`)
      return c.text('[control] this origin may not open the control socket; add it to gateway.controlUi.allowedOrigins', 403)
    }
    const ticket = pending.acquire(guard.clientAddress(c))
    if (!ticket) {
      return c.text('[control] too many unauthenticated connections from this address; finish connect on the open ones first', 429)
    }
    c.set(PENDING_TICKET as never, ticket as never)
    try {
      return await handleUpgrade(c, next)
    } catch (error) {
      ticket()
      throw error
    }
  })
  return routes
}

// Context key carrying the pending-socket ticket from the middleware into the upgrade callback.
const PENDING_TICKET = 'controlPendingTicket'

function toControlSocket(ws: WSContext<unknown>, allowLargeFrames?: (raw: unknown) => void) {
  return {
    send: (text: string) => ws.send(text),
    close: (code: number, reason: string) => ws.close(code, reason),
    bufferedAmount: () => socketBufferedAmount(ws),
    allowLargeFrames: () => allowLargeFrames?.(ws.raw),
  }
}
