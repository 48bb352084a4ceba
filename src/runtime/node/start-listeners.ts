import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer, type HttpBindings } from '@hono/node-server'
import type { ListenAddress } from '../../gateway/resolve-bind.js'

/** A running set of HTTP servers (one per bind address) sharing one fetch handler and one port. */
export interface Listeners {
  port: number
  servers: { server: Server; address: ListenAddress; host: string }[]
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
    close: () => Promise.all(servers.map(({ server }) => closeServer(server))).then(() => undefined),
  }
}

async function listenOne(
  fetchHandler: FetchHandler,
  address: ListenAddress,
  port: number,
  onServer?: (server: Server) => void,
): Promise<Listeners['servers'][number] | undefined> {
  const hosts = address.fallback ? [address.host, address.fallback] : [address.host]
  for (const [index, host] of hosts.entries()) {
    const server = createAdaptorServer({ fetch: fetchHandler as never }) as Server
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
      return { server, address, host }
    } catch (error) {
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

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve()
    server.close(() => resolve())
    // Idle keep-alive sockets would hold close() open; busy ones finish their request first.
    server.closeIdleConnections()
    const sweep = setInterval(() => server.closeIdleConnections(), 200)
    sweep.unref()
    server.once('close', () => clearInterval(sweep))
  })
}
