import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import { approvePairing } from '../channels/pairing-store.js'
import { requireGatewayAuth } from './require-gateway-auth.js'

const ApproveBody = z.object({ code: z.string().trim().min(1) })

/**
 * `POST /api/pairing/discord/approve {code}`: lets a DM sender who got a pairing code talk to the bot. The same as
 * `node dist/index.js pairing approve discord <code>`, for when a shell is not at hand.
 */
export function createPairingRoutes(deps: AppDeps): Hono {
  const routes = new Hono()
  routes.post('/api/pairing/discord/approve', requireGatewayAuth(deps), async (c) => {
    const parsed = ApproveBody.safeParse(await c.req.json().catch(() => undefined))
    if (!parsed.success) throw new AppError('bad_request', '[pairing] send a JSON body like {"code":"ABCD1234"}', { cause: parsed.error })
    const result = await approvePairing(deps.storage, parsed.data.code, deps.now())
    if (!result.ok) {
      throw new AppError('not_found', '[pairing] no pending request with that code; codes expire after an hour, so ask the user to DM the bot again')
    }
    deps.logger.child('discord').info(`pairing approved for user ${result.userId}`)
    return c.json({ ok: true, channel: 'discord', userId: result.userId })
  })
  return routes
}
