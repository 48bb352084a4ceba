import { createWSMessageEvent, defineWebSocketHelper, WSContext, type UpgradeWebSocket, type WSEvents } from 'hono/ws'
import type { DurableObjectState, HibernatableSocket } from './workers-types.js'

// The client may reconnect at once: the object was restarted and the socket's session state is gone.
const SERVICE_RESTART = 1012

interface LiveSocket {
  events: WSEvents<HibernatableSocket>
  context: WSContext<HibernatableSocket>
}

/** `upgradeWebSocket` for the gateway object plus the handlers its `webSocket*` methods forward to. */
export interface HibernatingWebSockets {
  upgradeWebSocket: UpgradeWebSocket
  message(socket: HibernatableSocket, data: string | ArrayBuffer): void
  close(socket: HibernatableSocket, code: number, reason: string): void
  error(socket: HibernatableSocket, error: unknown): void
}

/**
 * Accepts control sockets with the Durable Object Hibernation API (`ctx.acceptWebSocket`), so the runtime, not the
 * isolate, holds the connection and delivers frames through the object's `webSocketMessage`. Session state lives in
 * memory; a frame that arrives after the object was evicted finds no session, and the socket is closed with 1012 so
 * the Control UI reconnects and authenticates again.
 * @see https://developers.cloudflare.com/durable-objects/best-practices/websockets/
 */
export function createHibernatingWebSockets(ctx: Pick<DurableObjectState, 'acceptWebSocket'>): HibernatingWebSockets {
  const live = new Map<HibernatableSocket, LiveSocket>()
  const upgradeWebSocket = defineWebSocketHelper<HibernatableSocket>(async (c, events) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return
    const Pair = (globalThis as unknown as { WebSocketPair: new () => Record<0 | 1, HibernatableSocket> }).WebSocketPair
    const pair = new Pair()
    const client = pair[0]
    const server = pair[1]
    ctx.acceptWebSocket(server)
    const context = new WSContext<HibernatableSocket>({
      send: (data) => server.send(data as string | ArrayBuffer),
      close: (code, reason) => server.close(code, reason),
      raw: server,
      get readyState() {
        return server.readyState as 0 | 1 | 2 | 3
      },
      url: c.req.url,
    })
    live.set(server, { events, context })
    events.onOpen?.(new Event('open'), context)
    return new Response(null, { status: 101, webSocket: client } as ResponseInit)
  })
  return {
    upgradeWebSocket: upgradeWebSocket as UpgradeWebSocket,
    message(socket, data) {
      const entry = live.get(socket)
      if (entry === undefined) return closeQuietly(socket, SERVICE_RESTART, 'gateway restarted; reconnect')
      entry.events.onMessage?.(createWSMessageEvent(data), entry.context)
    },
    close(socket, code, reason) {
      const entry = live.get(socket)
      live.delete(socket)
      entry?.events.onClose?.(new CloseEvent('close', { code, reason }), entry.context)
      // Completes the closing handshake; the runtime no longer does it for hibernatable sockets.
      closeQuietly(socket, code === 1005 || code === 1006 ? 1000 : code, reason)
    },
    error(socket, error) {
      const entry = live.get(socket)
      live.delete(socket)
      entry?.events.onError?.(new ErrorEvent('error', { error }), entry.context)
      entry?.events.onClose?.(new CloseEvent('close', { code: 1006, reason: 'socket error' }), entry.context)
    },
  }
}

function closeQuietly(socket: HibernatableSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason)
  } catch {
    // Already closed by the peer; nothing left to do.
  }
}
