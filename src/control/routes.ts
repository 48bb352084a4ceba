import { Hono, type Context } from 'hono'
import type { WSContext } from 'hono/ws'
import type { AppDeps } from '../deps.js'
import { builtInMethods } from './built-in-methods.js'
import { createConnectionRegistry, type ConnectionRegistry } from './connections.js'
import { ControlSession, type ControlSessionOptions } from './control-session.js'
import { createFailedAuthLimiter, type FailedAuthLimits } from './failed-auth-limiter.js'
import { createMethodTable, type ChannelStatusProvider, type MethodDefinition } from './methods.js'
import { socketBufferedAmount } from './socket-buffered-amount.js'

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
  const limiter = createFailedAuthLimiter(deps.now, extras.failedAuthLimits)
  const clientAddress = extras.clientAddress ?? ((c: Context) => c.req.header('cf-connecting-ip'))
  const logger = deps.logger.child('control')

  const handleUpgrade = upgrade((c) => {
    const remoteAddress = clientAddress(c)
    let session: ControlSession | undefined
    const start = (ws: WSContext<unknown>): ControlSession => {
      session = new ControlSession({
        socket: toControlSocket(ws),
        deps,
        connections,
        methods,
        events,
        limiter,
        remoteAddress,
        channelStatus: extras.channelStatus,
        timing: extras.timing,
      })
      session.open()
      return session
    }
    return {
      onOpen: (_event, ws) => void start(ws),
      onMessage: (event, ws) => {
        // hono's Workers adapter never calls onOpen; there the session starts with the first frame (the UI
        // sends `connect` 750 ms after opening when no challenge came).
        const current = session ?? start(ws)
        current.receive(event.data).catch((error: unknown) => logger.error(`control frame failed: ${String(error)}`))
      },
      onClose: () => session?.closed(),
    }
  })

  routes.use('*', async (c, next) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return next()
    if (HTTP_API_PATHS.some((pattern) => pattern.test(c.req.path))) return next()
    return handleUpgrade(c, next)
  })
  return routes
}

function toControlSocket(ws: WSContext<unknown>) {
  return {
    send: (text: string) => ws.send(text),
    close: (code: number, reason: string) => ws.close(code, reason),
    bufferedAmount: () => socketBufferedAmount(ws),
  }
}
