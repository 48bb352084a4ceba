import type { Context } from 'hono'
import type { AppDeps } from '../deps.js'
import { isTrustedProxy, resolveClientAddress } from './client-address.js'
import { createFailedAuthLimiter, type FailedAuthLimiter, type FailedAuthLimits } from './failed-auth-limiter.js'
import { isAllowedOrigin } from './origin-policy.js'

/** The peer address as the runtime sees it (Node: the TCP socket). */
export type PeerAddress = (c: Context) => string | undefined

/**
 * What every authenticated surface (HTTP bearer routes and the control socket) shares: one failed-auth limiter, one
 * idea of who the client is, and one origin rule. Built once per app, so a guess on `/api/health` and a guess on the
 * WebSocket count against the same budget.
 */
export interface AuthGuard {
  readonly limiter: FailedAuthLimiter
  /** The limiter key: the client's address (proxy headers only from `gateway.trustedProxies`), or `unknown`. */
  clientAddress(c: Context): string
  /** False for a browser page on a foreign origin (spec/protocol.md §1.1; `gateway.controlUi.allowedOrigins`). */
  originAllowed(c: Context): boolean
}

/** Cloudflare sets this itself on Workers; on Node the runtime passes the socket's address instead. */
const workersPeer: PeerAddress = (c) => c.req.header('cf-connecting-ip')

export function createAuthGuard(deps: Pick<AppDeps, 'now' | 'state'>, options: { peer?: PeerAddress; limits?: FailedAuthLimits } = {}): AuthGuard {
  const peer = options.peer ?? workersPeer
  const limiter = createFailedAuthLimiter(deps.now, options.limits)
  const trustedProxies = () => deps.state.config.gateway?.trustedProxies
  return {
    limiter,
    clientAddress: (c) => resolveClientAddress({ peer: peer(c), headers: c.req.raw.headers, trustedProxies: trustedProxies() }) ?? 'unknown',
    originAllowed(c) {
      const gateway = deps.state.config.gateway
      const direct = peer(c)
      const proxied = direct !== undefined && isTrustedProxy(direct, trustedProxies() ?? [])
      const host = (proxied ? c.req.header('x-forwarded-host')?.split(',')[0] : undefined) ?? c.req.header('host')
      return isAllowedOrigin({ origin: c.req.header('origin'), host, allowedOrigins: gateway?.controlUi?.allowedOrigins })
    },
  }
}
