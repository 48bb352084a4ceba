import { Hono } from 'hono'
import { normalizeAgentId } from '../config/config-lookup.js'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'

/**
 * `GET /avatar/<agentId>?meta=1` (spec/protocol.md §1.2): the chat view asks for the agent's avatar URL on every
 * refresh. Only `identity.avatar` values that are already URLs (http(s) or `data:`) are returned; workspace files are
 * not served, so the answer is `{ avatarUrl: null }` and the UI shows the agent's initial instead.
 */
export function createAvatarRoutes(deps: AppDeps): Hono {
  const routes = new Hono()
  routes.get('/avatar/:agentId', (c) => {
    const agentId = normalizeAgentId(c.req.param('agentId'))
    const agent = deps.state.config.agents?.list?.find((entry) => normalizeAgentId(entry.id) === agentId)
    const avatar = agent?.identity?.avatar
    const avatarUrl = avatar !== undefined && /^(https?:\/\/|data:image\/)/i.test(avatar) ? avatar : null
    c.header('cache-control', 'no-cache')
    if (c.req.query('meta') === '1') return c.json({ avatarUrl })
    // Without meta the UI wants image bytes; send it to the URL when there is one.
    if (avatarUrl?.startsWith('http')) return c.redirect(avatarUrl, 302)
    throw new AppError('not_found', '[control-ui] this agent has no avatar image; set agents.list[].identity.avatar to an http(s) URL')
  })
  return routes
}
