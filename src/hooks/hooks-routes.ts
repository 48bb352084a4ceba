import { Hono, type Context } from 'hono'
import { getDefaultAgentId } from '../config/config-lookup.js'
import type { AppDeps } from '../deps.js'
import type { AuthGuard } from '../gateway/auth-guard.js'
import { AppError } from '../errors.js'
import { readBody } from '../http/read-body.js'
import { secretsEqual } from '../http/secrets-equal.js'
import { mainSessionKey } from '../sessions/session-key.js'
import { findHookMapping, resolveHooksSettings, type HooksSettings } from './hooks-settings.js'
import { parseHookAgentRequest, parseHookWakeRequest } from './parse-hook-request.js'
import { renderTemplate } from './render-template.js'
import { runHookAgent, type HookServices } from './run-hook-agent.js'
import { hookChannels } from './hook-channels.js'

const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * Upstream's HTTP hooks (spec/agent-api.md §6) on the gateway's own port: `POST <path>/wake`, `POST <path>/agent`
 * and mapped sub-paths. The pipeline runs in upstream's order: not under the base path → next route; token
 * (401, before the method check) → method (405) → sub-path (404) → body cap (413) → JSON (400) → routing.
 * Settings are read per request, so a config reload applies to the next call.
 */
export function createHooksRoutes(deps: AppDeps, services: HookServices, guard?: AuthGuard): Hono {
  const routes = new Hono()
  const logger = deps.logger.child('hooks')
  routes.use('*', async (c, next) => {
    const settings = resolveHooksSettings(deps.state.config)
    if (settings === undefined) return next()
    const path = c.req.path
    if (path !== settings.basePath && !path.startsWith(`${settings.basePath}/`)) return next()
    // A gateway token from the environment cannot be checked at config load; refuse rather than share it.
    const gatewaySecret = deps.state.auth.mode === 'token' ? deps.state.auth.token : deps.state.auth.mode === 'password' ? deps.state.auth.password : undefined
    if (gatewaySecret !== undefined && (await secretsEqual(settings.token, gatewaySecret))) {
      logger.error('hooks.token equals the gateway token; hooks are refused until hooks.token is changed')
      return c.text('hooks disabled: hooks.token must differ from the gateway token', 503)
    }
    // Wrong hook tokens count against the same failed-auth budget as the gateway token on every other surface.
    const address = guard?.clientAddress(c) ?? 'unknown'
    const retryAfterMs = guard?.limiter.retryAfter(address) ?? 0
    if (retryAfterMs > 0) return c.text('Too Many Requests', 429, { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) })
    if (!(await secretsEqual(presentedToken(c), settings.token))) {
      guard?.limiter.recordFailure(address)
      return c.text('Unauthorized', 401)
    }
    guard?.limiter.recordSuccess(address)
    if (c.req.method !== 'POST') return c.text('Method Not Allowed', 405, { allow: 'POST' })
    const subPath = path.slice(settings.basePath.length).replace(/^\/+|\/+$/g, '')
    if (subPath === '') return c.text('Not Found', 404)
    let bytes: Uint8Array
    try {
      bytes = await readBody(c.req.raw, settings.maxBodyBytes, 'hooks')
    } catch (error) {
      // Upstream's own 413 body, which hook senders may already check for.
      if (error instanceof AppError && error.code === 'payload_too_large') return json({ ok: false, error: 'payload too large' }, 413)
      throw error
    }
    let payload: Record<string, unknown>
    try {
      const text = new TextDecoder().decode(bytes)
      const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text)
      payload = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {}
    } catch (error) {
      return json({ ok: false, error: String(error) }, 400)
    }
    try {
      return await route(c, settings, subPath, payload)
    } catch (error) {
      logger.error(`hook ${subPath} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
      return json({ ok: false, error: 'hook mapping failed' }, 500)
    }
  })

  async function route(c: Context, settings: HooksSettings, subPath: string, payload: Record<string, unknown>): Promise<Response> {
    if (subPath === 'wake') return wake(payload)
    if (subPath === 'agent') return agent(payload)
    const mapping = findHookMapping(settings.mappings, subPath, payload)
    if (mapping === undefined) return c.text('Not Found', 404)
    const url = new URL(c.req.url)
    const context = {
      path: subPath,
      now: new Date(deps.now()).toISOString(),
      headers: Object.fromEntries([...c.req.raw.headers].map(([name, value]) => [name.toLowerCase(), value])),
      query: Object.fromEntries(url.searchParams),
      payload,
    }
    const render = (template: string | undefined) => (template === undefined ? undefined : renderTemplate(template, context))
    if (mapping.action === 'wake') {
      const text = render(mapping.textTemplate)?.trim()
      if (!text) return json({ ok: false, error: 'hook mapping requires text' }, 400)
      return wake({ text, mode: mapping.wakeMode })
    }
    const message = render(mapping.messageTemplate)?.trim()
    if (!message) return json({ ok: false, error: 'hook mapping requires message' }, 400)
    return agent({
      message,
      name: mapping.name ?? mapping.id,
      sessionKey: render(mapping.sessionKey),
      wakeMode: mapping.wakeMode,
      deliver: mapping.deliver,
      channel: mapping.channel,
      to: render(mapping.to),
      model: render(mapping.model),
      thinking: mapping.thinking,
      timeoutSeconds: mapping.timeoutSeconds,
    })
  }

  function wake(body: Record<string, unknown>): Response {
    const parsed = parseHookWakeRequest(body)
    if (!parsed.ok) return json({ ok: false, error: parsed.error }, 400)
    const mainKey = mainSessionKey(getDefaultAgentId(deps.state.config))
    services.systemEvents.enqueue(mainKey, parsed.value.text, deps.now())
    if (parsed.value.mode === 'now') services.requestHeartbeat?.('wake')
    return json({ ok: true, mode: parsed.value.mode }, 200)
  }

  function agent(body: Record<string, unknown>): Response {
    const parsed = parseHookAgentRequest(body, hookChannels(services.delivery))
    if (!parsed.ok) return json({ ok: false, error: parsed.error }, 400)
    const runId = crypto.randomUUID()
    deps.background.waitUntil(runHookAgent(deps, services, parsed.value, runId))
    return json({ ok: true, runId }, 202)
  }

  return routes
}

// Bearer first, then the header (both spellings), then `?token=` as upstream still accepts it.
function presentedToken(c: Context): string {
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim()
  return bearer ?? c.req.header('x-clawdbot-token') ?? c.req.header('x-moltbot-token') ?? c.req.query('token') ?? ''
}

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE } })
}
