import type { MiddlewareHandler } from 'hono'
import type { EnvMasker } from '../gateway/env-masker.js'

/**
 * Masks env-derived values in JSON responses (health report, API errors, chat completions), the HTTP side of what
 * the control socket does per frame. Streams (SSE) and static files pass untouched.
 */
export function maskEnvResponses(masker: EnvMasker): MiddlewareHandler {
  return async (c, next) => {
    await next()
    const type = c.res.headers.get('content-type') ?? ''
    if (!type.startsWith('application/json') || c.res.body === null) return
    const text = await c.res.text()
    const masked = masker.maskText(text)
    const headers = new Headers(c.res.headers)
    headers.delete('content-length')
    c.res = new Response(masked, { status: c.res.status, statusText: c.res.statusText, headers })
  }
}
