import type { Hono } from 'hono'
import { AppError, toErrorBody } from '../errors.js'
import type { Logger } from '../logging/logger.js'

/**
 * The one place errors become HTTP responses: `AppError` renders as `{ error: { code, message } }` with its status;
 * anything else is logged with its stack and shown as a generic 500. Unknown routes are a JSON 404.
 */
export function installErrorHandlers(app: Hono, logger: Logger): void {
  app.notFound((c) =>
    c.json(toErrorBody(new AppError('not_found', '[http] not found: no route matches this method and path')), 404),
  )
  app.onError((error, c) => {
    if (error instanceof AppError) {
      if (error.code === 'unauthorized') c.header('www-authenticate', 'Bearer realm="clawdbot-gateway"')
      const retryAfterMs = (error.details as { retryAfterMs?: unknown } | undefined)?.retryAfterMs
      if (typeof retryAfterMs === 'number') c.header('retry-after', String(Math.ceil(retryAfterMs / 1000)))
      return c.json(toErrorBody(error), error.status as 400)
    }
    // Unknown failures are bugs or outages: keep the detail in the log, give the client nothing to exploit.
    logger.error(`unhandled error on ${c.req.method} ${new URL(c.req.url).pathname}: ${describe(error)}`)
    return c.json(toErrorBody(new AppError('internal', '[http] internal error; see the gateway logs')), 500)
  })
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`
  return String(error)
}
