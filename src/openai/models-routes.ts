import { Hono } from 'hono'
import { listAllowedModels, parseModelRef } from '../agent/model-ref.js'
import { listAgentIds } from '../config/config-lookup.js'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import type { AuthGuard } from '../gateway/auth-guard.js'
import { requireGatewayAuth } from '../http/require-gateway-auth.js'

/**
 * `GET /v1/models`: what an OpenAI client may put in `model`, in OpenAI's list shape. Many clients call it before
 * anything else. Agents come first (`clawdbot:<id>`), then the models a request may pick directly (`provider/model`).
 * Same switch and auth as `/v1/chat/completions`.
 */
export function createModelsRoutes(deps: AppDeps, guard: AuthGuard): Hono {
  const routes = new Hono()
  routes.get('/v1/models', async (c, next) => {
    if (deps.state.config.gateway?.http?.endpoints?.chatCompletions?.enabled !== true) {
      throw new AppError('not_found', '[openai] /v1/models is disabled; set gateway.http.endpoints.chatCompletions.enabled to true')
    }
    await next()
  }, requireGatewayAuth(deps, guard), (c) => {
    const config = deps.state.config
    // Models have no creation date here; OpenAI's field is required, so it carries the gateway's start (seconds).
    const created = Math.floor(deps.state.startedAt / 1000)
    const agents = listAgentIds(config).map((id) => ({ id: `clawdbot:${id}`, object: 'model', created, owned_by: 'clawdbot' }))
    const models = listAllowedModels(config).map(({ ref }) => ({ id: ref, object: 'model', created, owned_by: parseModelRef(ref, config).provider }))
    return c.json({ object: 'list', data: [...agents, ...models] })
  })
  return routes
}
