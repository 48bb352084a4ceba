import { Hono, type Context } from 'hono'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import { InteractionKind, ResponseKind } from './discord-api.js'
import { handleInteraction } from './handle-interaction.js'
import { toInteractionContext } from './interaction-context.js'
import { InteractionSchema } from './interaction-schema.js'
import { ephemeralMessage, type ActiveReply, type DiscordServices } from './interaction-scope.js'
import { BODY_LIMITS, readBody } from '../http/read-body.js'
import { RecentIds } from './recent-ids.js'
import { DEFAULT_ACCOUNT_ID } from './resolve-discord-account.js'
import { verifySignature } from './verify-signature.js'

export type { DiscordServices, DiscordSessionControl } from './interaction-scope.js'

/**
 * The Discord HTTP Interactions endpoint: `POST /discord/interactions` (account `default`) and
 * `/discord/<accountId>/interactions`. Mount it outside gateway-token auth: Discord authenticates with Ed25519
 * signatures, checked here before anything else (spec/discord.md §2). The response is always the immediate ack;
 * model work continues through `deps.background.waitUntil`.
 */
export function createDiscordRoutes(deps: AppDeps, services: DiscordServices): Hono {
  const app = new Hono()
  const logger = deps.logger.child('discord')
  const recentIds = new RecentIds()
  const activeReplies = new Map<string, ActiveReply>()
  let warnedMissingKey = false

  const receive = async (c: Context, accountId: string): Promise<Response> => {
    const receivedAt = deps.now()
    const account = services.discord.account(accountId)
    if (account === undefined) throw new AppError('not_found', '[discord] no Discord account with this id is configured')
    const body = await readBody(c.req.raw, BODY_LIMITS.discordInteraction, 'discord')
    const publicKey = account.publicKey()
    if (publicKey === undefined && !warnedMissingKey) {
      warnedMissingKey = true
      logger.warn(`[${accountId}] no public key yet: set DISCORD_PUBLIC_KEY or DISCORD_BOT_TOKEN; rejecting interactions`)
    }
    const signed = { body, signature: c.req.header('x-signature-ed25519'), timestamp: c.req.header('x-signature-timestamp') }
    // Runs before parsing, routing and allowlists, and cannot be disabled: Discord probes with bad signatures.
    if (!(await verifySignature(signed, publicKey, receivedAt))) {
      throw new AppError('unauthorized', '[discord] invalid request signature')
    }
    const parsed = InteractionSchema.safeParse(parseJson(body))
    if (!parsed.success) throw new AppError('bad_request', '[discord] not an interaction payload', { cause: parsed.error })
    const interaction = parsed.data
    if (interaction.type === InteractionKind.ping) return c.json({ type: ResponseKind.pong })
    if (recentIds.seen(interaction.id)) {
      logger.debug(`[${accountId}] duplicate interaction ${interaction.id} ignored`)
      return c.json({ type: ResponseKind.deferredMessage })
    }
    account.recordInteraction(receivedAt)
    const context = toInteractionContext(interaction)
    if (context === undefined) return c.json(ephemeralMessage('This interaction has no user or channel.').body)
    const result = await handleInteraction({ deps, services, account, interaction, context, receivedAt, logger, activeReplies })
    if (result.work !== undefined) {
      deps.background.waitUntil(
        result.work().catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error)
          account.recordError(message)
          logger.error(`[${accountId}] interaction ${interaction.id} failed: ${message}`)
        }),
      )
    }
    return c.json(result.body)
  }

  app.post('/discord/interactions', (c) => receive(c, DEFAULT_ACCOUNT_ID))
  app.post('/discord/:accountId/interactions', (c) => receive(c, c.req.param('accountId')))
  return app
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body))
  } catch {
    return undefined
  }
}
