import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer, type HttpBindings } from '@hono/node-server'
import type { Context } from 'hono'
import { WebSocketServer } from 'ws'
import type { ListenAddress } from '../../gateway/resolve-bind.js'
import { CLOSE_CODES, MAX_PAYLOAD_BYTES, MAX_PREAUTH_PAYLOAD_BYTES } from '../../control/protocol.js'

// A client that ignores our close frame is cut off after this, so a drain never waits on it.
const SOCKET_CLOSE_GRACE_MS = 2_000

/** A running set of HTTP servers (one per bind address) sharing one fetch handler and one port. */
export interface Listeners {
  port: number
  servers: { server: Server; address: ListenAddress; host: string; sockets: WebSocketServer }[]
  /** Stops accepting; resolves once every open request has finished (or `deadline` aborts the wait). */
  close(): Promise<void>
}

export type FetchHandler = (request: Request, env: HttpBindings) => Response | Promise<Response>

/** Thrown when the port is taken, so the caller can print upstream's "already listening" hint. */
export class PortInUseError extends Error {
  constructor(readonly host: string, readonly port: number) {
    super(`port ${port} is already in use on ${host}`)
    this.name = 'PortInUseError'
  }
}

/**
 * Listens on every address. The first address decides the port (port 0 picks a free one); the others reuse it.
 * Optional addresses that the machine cannot bind (no IPv6) are skipped; a dual-stack `::` falls back to IPv4.
 */
export async function startListeners(
  fetchHandler: FetchHandler,
  addresses: readonly ListenAddress[],
  port: number,
  onServer?: (server: Server) => void,
): Promise<Listeners> {
  const servers: Listeners['servers'] = []
  let actualPort = port
  try {
    for (const address of addresses) {
      const bound = await listenOne(fetchHandler, address, actualPort, onServer)
      if (!bound) continue
      servers.push(bound)
      actualPort = (bound.server.address() as AddressInfo).port
    }
  } catch (error) {
    await Promise.all(servers.map(({ server }) => closeServer(server)))
    throw error
  }
  return {
    port: actualPort,
    servers,
    close: async () => {
      // A client told to go away may come straight back over a kept-alive connection; from here on every new
      // socket is sent away at once, or server.close() would wait for it forever.
      for (const { sockets } of servers) {
        sockets.on('connection', (socket) => socket.close(CLOSE_CODES.serviceRestart, 'service restart'))
      }
      const stopped = servers.map(({ server }) => closeServer(server))
      // Open sockets would hold server.close() forever; 1012 tells the Control UI a restart is coming (spec §2).
      await Promise.all(servers.map(({ sockets }) => closeSockets(sockets)))
      await Promise.all(stopped)
    },
  }
}

/** The peer address of a request or WebSocket upgrade on Node, for the control socket's failed-auth limiter. */
export function nodeClientAddress(c: Context): string | undefined {
  return (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket?.remoteAddress
}

/**
 * Lifts one socket's inbound cap from the pre-auth size to the full one. `ws` reads the receiver's `_maxPayload` per
 * frame and offers no public setter, so this reaches into it; a `ws` upgrade that renames the field fails the
 * control-socket tests that send large frames after `connect`.
 */
export function allowLargeNodeFrames(raw: unknown): void {
  const receiver = (raw as { _receiver?: { _maxPayload?: number } } | undefined)?._receiver
  if (receiver && typeof receiver._maxPayload === 'number') receiver._maxPayload = MAX_PAYLOAD_BYTES
}

async function listenOne(
  fetchHandler: FetchHandler,
  address: ListenAddress,
  port: number,
  onServer?: (server: Server) => void,
): Promise<Listeners['servers'][number] | undefined> {
  const hosts = address.fallback ? [address.host, address.fallback] : [address.host]
  for (const [index, host] of hosts.entries()) {
    // noServer is required by the adapter; the cap makes `ws` close oversized frames with 1009. It starts at the
    // pre-auth size and is lifted per socket by allowLargeFrames after `hello-ok`.
    const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_PREAUTH_PAYLOAD_BYTES })
    const server = createAdaptorServer({ fetch: fetchHandler as never, websocket: { server: sockets as never } }) as Server
    // Fly's proxy keeps connections open for a while; outlive its idle timeout so it never sees a reset.
    server.keepAliveTimeout = 65_000
    server.headersTimeout = 66_000
    onServer?.(server)
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen({ port, host, ipv6Only: false }, () => {
          server.off('error', reject)
          resolve()
        })
      })
      return { server, address, host, sockets }
    } catch (error) {
      sockets.close()
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EADDRINUSE') throw new PortInUseError(address.display, port)
      const unbindable = code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT' || code === 'EINVAL'
      if (unbindable && index < hosts.length - 1) continue
      if (unbindable && address.optional) return undefined
      throw error
    }
  }
  return undefined
}

function closeSockets(sockets: WebSocketServer): Promise<void> {
  const open = [...sockets.clients]
  if (open.length === 0) return Promise.resolve()
  return new Promise((resolve) => {
    let remaining = open.length
    const done = () => {
      remaining -= 1
      if (remaining === 0) {
        clearTimeout(timer)
        resolve()
      }
    }
    const timer = setTimeout(() => {
      for (const socket of open) socket.terminate()
    }, SOCKET_CLOSE_GRACE_MS)
    for (const socket of open) {
      socket.once('close', done)
      socket.close(CLOSE_CODES.serviceRestart, 'service restart')
    }
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve()
    server.close(() => resolve())
    // Idle keep-alive sockets would hold close() open; busy ones finish their request first. A connection that turns
    // idle later is caught by the next sweep, so the sweep interval bounds how long exit lags behind the last request.
    server.closeIdleConnections()
    const sweep = setInterval(() => server.closeIdleConnections(), 25)
    sweep.unref()
    server.once('close', () => clearInterval(sweep))
  })
}
