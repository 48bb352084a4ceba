import { Hono } from 'hono'
import type { AppDeps } from './deps.js'
import { AppError, toErrorBody } from './errors.js'
import { createHealthRoutes } from './http/health-routes.js'
import { createHomePage } from './http/home-page.js'
import type { ControlRouteExtras } from './control/routes.js'
import { createControlSurface } from './control/create-control-surface.js'
import { createAgentRuntime, type AgentRuntime } from './agent/agent-runtime.js'
import { createChatCompletionsRoutes } from './openai/chat-completions-routes.js'

/**
 * Builds the gateway's fetch application from its capabilities. The same app serves Node and Workers; each
 * runtime only supplies `deps`.
 */
export function createApp(
  deps: AppDeps,
  services: { agents?: AgentRuntime; /** Extra control-socket methods, registry, channel status, client address. */ control?: ControlRouteExtras } = {},
): Hono {
  const app = new Hono()
  const logger = deps.logger.child('http')
  const agents = services.agents ?? createAgentRuntime(deps)

  // First, so a WebSocket upgrade on `/` (or any non-API path) reaches the control socket, not the home page.
  app.route('/', createControlSurface(deps, agents, services.control))
  app.route('/', createHealthRoutes(deps))
  app.route('/', createChatCompletionsRoutes(deps, agents))
  app.route('/', createHomePage(deps))

  app.notFound((c) =>
    c.json(toErrorBody(new AppError('not_found', '[http] not found: no route matches this method and path')), 404),
  )
  app.onError((error, c) => {
    if (error instanceof AppError) {
      if (error.code === 'unauthorized') c.header('www-authenticate', 'Bearer realm="clawdbot-gateway"')
      return c.json(toErrorBody(error), error.status as 400)
    }
    // Unknown failures are bugs or outages: keep the detail in the log, give the client nothing to exploit.
    logger.error(`unhandled error on ${c.req.method} ${new URL(c.req.url).pathname}: ${describe(error)}`)
    return c.json(toErrorBody(new AppError('internal', '[http] internal error; see the gateway logs')), 500)
  })
  return app
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`
  return String(error)
}
