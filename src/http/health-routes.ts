import { Hono, type Context } from 'hono'
import type { AppDeps } from '../deps.js'
import type { AuthGuard } from '../gateway/auth-guard.js'
import { requireGatewayAuth } from './require-gateway-auth.js'
import { buildHealthReport } from './health-report.js'

/**
 * `GET /health` (alias `/healthz`): the cheap public liveness/readiness probe for Fly checks, free of secrets.
 * `GET /api/health`: the full upstream-shaped report, behind the gateway token.
 */
export function createHealthRoutes(
  deps: AppDeps,
  guard: AuthGuard,
  channelStatus?: () => Promise<Record<string, Record<string, unknown>>>,
): Hono {
  const routes = new Hono()
  const publicHealth = (c: Context) => {
    c.header('cache-control', 'no-store')
    const phase = deps.state.phase
    if (phase !== 'ready') {
      return c.json({ ok: false, reason: phase === 'stopping' ? 'shutting_down' : 'starting' }, 503)
    }
    const now = deps.now()
    return c.json({ ok: true, ts: now, uptimeMs: now - deps.state.startedAt, version: deps.version })
  }
  routes.get('/health', publicHealth)
  routes.get('/healthz', publicHealth)
  routes.get('/api/health', requireGatewayAuth(deps, guard), async (c) => {
    c.header('cache-control', 'no-store')
    const report = await buildHealthReport(deps, channelStatus)
    return c.json(report, report.ok ? 200 : 503)
  })
  return routes
}
