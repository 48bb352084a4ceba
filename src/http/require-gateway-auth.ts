import type { MiddlewareHandler } from 'hono'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import type { AuthGuard } from '../gateway/auth-guard.js'
import { secretsEqual } from './secrets-equal.js'

/**
 * Middleware for the HTTP APIs: `Authorization: Bearer <gateway token or password>`. Reads the current auth on every
 * request, so a token changed by hot reload takes effect at once. Wrong secrets count against the same failed-auth
 * limiter as the control socket, so password guessing over HTTP is throttled like over WebSocket.
 */
export function requireGatewayAuth(deps: Pick<AppDeps, 'state'>, guard: AuthGuard): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer\s+(.+)$/i.exec(header.trim())
    if (!match) {
      throw new AppError('unauthorized', '[http] missing gateway token: send "Authorization: Bearer <token>" (the gateway token or password)')
    }
    const address = guard.clientAddress(c)
    const retryAfterMs = guard.limiter.retryAfter(address)
    if (retryAfterMs > 0) {
      throw new AppError('too_many_requests', '[http] too many failed authentication attempts from this address; retry later', {
        details: { retryAfterMs },
      })
    }
    const auth = deps.state.auth
    const expected = auth.mode === 'token' ? auth.token : auth.password
    if (!(await secretsEqual(match[1].trim(), expected))) {
      guard.limiter.recordFailure(address)
      throw new AppError('unauthorized', '[http] gateway token mismatch: use the token from CLAWDBOT_GATEWAY_TOKEN or gateway.auth.token')
    }
    guard.limiter.recordSuccess(address)
    await next()
  }
}
