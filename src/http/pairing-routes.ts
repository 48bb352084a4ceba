import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import { approvePairing, type PairingChannel } from '../channels/pairing-store.js'
import type { AuthGuard } from '../gateway/auth-guard.js'
import { notifyPairingApproved } from '../telegram/notify-pairing-approved.js'
import { requireGatewayAuth } from './require-gateway-auth.js'
import { BODY_LIMITS, readJsonBody } from './read-body.js'

const ApproveBody = z.object({ code: z.string().trim().min(1) })

/**
 * `POST /api/pairing/<discord|telegram>/approve {code}`: lets a DM sender who got a pairing code talk to the bot. The
 * same as `node dist/index.js pairing approve <channel> <code>`, for when a shell is not at hand. A Telegram user is
 * also told they were approved.
 */
export function createPairingRoutes(deps: AppDeps, guard: AuthGuard): Hono {
  const routes = new Hono()
  const approve = (channel: PairingChannel) =>
    routes.post(`/api/pairing/${channel}/approve`, requireGatewayAuth(deps, guard), async (c) => {
      const parsed = ApproveBody.safeParse(await readJsonBody(c.req.raw, BODY_LIMITS.pairingApprove, 'pairing').catch(rethrowTooLarge))
      if (!parsed.success) throw new AppError('bad_request', '[pairing] send a JSON body like {"code":"ABCD1234"}', { cause: parsed.error })
      const result = await approvePairing(deps.storage, parsed.data.code, deps.now(), channel)
      if (!result.ok) {
        throw new AppError('not_found', '[pairing] no pending request with that code; codes expire after an hour, so ask the user to DM the bot again')
      }
      const logger = deps.logger.child(channel)
      logger.info(`pairing approved for user ${result.userId}`)
      if (channel === 'discord') return c.json({ ok: true, channel, userId: result.userId })
      const sleep = (milliseconds: number) => new Promise<void>((resolve) => void deps.scheduler.after(milliseconds, resolve))
      const notice = await notifyPairingApproved({ config: deps.state.config, env: deps.env, readText: deps.readTextFile, fetch: deps.fetch, sleep }, result.userId)
      if (!notice.ok) logger.warn(`approved ${result.userId} but could not tell them: ${notice.error}`)
      return c.json({ ok: true, channel, userId: result.userId, notified: notice.ok })
    })
  approve('discord')
  approve('telegram')
  return routes
}

// A bad JSON body gets the route's own hint below; an oversized one stays a 413.
function rethrowTooLarge(error: unknown): undefined {
  if (error instanceof AppError && error.code === 'payload_too_large') throw error
  return undefined
}
