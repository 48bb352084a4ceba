import { Hono, type Context } from 'hono'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import { BODY_LIMITS, readBody } from '../http/read-body.js'
import { secretsEqual } from '../http/secrets-equal.js'
import { KeyedQueue } from '../sessions/keyed-queue.js'
import { AlbumBuffer } from './album-buffer.js'
import { FragmentBuffer } from './fragment-buffer.js'
import { conversationKey, handleUpdate, type TelegramServices } from './handle-update.js'
import { UpdateSchema, type TelegramUpdate } from './update-schema.js'

export type { TelegramServices } from './handle-update.js'

const SECRET_HEADER = 'x-telegram-bot-api-secret-token'
const UNAUTHORIZED_LOG_INTERVAL_MS = 60_000

/**
 * The Telegram webhook: `POST <webhookPath>` per account, outside gateway-token auth. The secret header is checked in
 * constant time before the body is read; the update id is durably recorded, the request answered with 200 at once,
 * and the update handled afterwards through `deps.background`, in order per conversation.
 * @see spec/telegram.md §6.1–6.3
 */
export function createTelegramRoutes(deps: AppDeps, services: TelegramServices): Hono {
  const app = new Hono()
  const logger = deps.logger.child('telegram')
  const queue = new KeyedQueue()
  const histories = new Map<string, string[]>()
  const buffers = new Map<string, AlbumBuffer>()
  let lastUnauthorizedLogAt = Number.NEGATIVE_INFINITY

  const dispatch = (accountId: string, update: TelegramUpdate): void => {
    const account = services.telegram.account(accountId)
    if (account === undefined) return
    const key = conversationKey(update, account.identity()?.username) ?? `telegram:update:${update.update_id}`
    const work = queue.run(`${accountId}:${key}`, async () => {
      const settings = await account.settings()
      await handleUpdate({ deps, services, account, settings, logger, histories }, update)
    })
    deps.background.waitUntil(
      work.catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error)
        account.recordError(message)
        logger.error(`[${accountId}] update ${update.update_id} failed: ${message}`)
      }),
    )
  }

  // Albums are collected first, then long pastes joined, then each conversation runs in order.
  const buffersFor = (accountId: string): AlbumBuffer => {
    let buffer = buffers.get(accountId)
    if (buffer === undefined) {
      const fragments = new FragmentBuffer({
        scheduler: deps.scheduler,
        now: deps.now,
        windowMs: services.telegram.timing.fragmentWindowMs,
        release: (update) => dispatch(accountId, update),
      })
      buffer = new AlbumBuffer({ scheduler: deps.scheduler, quietMs: services.telegram.timing.albumQuietMs, release: (update) => fragments.offer(update) })
      buffers.set(accountId, buffer)
    }
    return buffer
  }

  const receive = async (c: Context, accountId: string): Promise<Response> => {
    const account = services.telegram.account(accountId)
    if (account === undefined || account.tokenRejected()) throw new AppError('not_found', '[telegram] no running Telegram account serves this path')
    const settings = await account.settings()
    const secret = settings.webhook.secret
    if (secret === undefined) throw new AppError('not_found', '[telegram] this account has no bot token, so it has no webhook')
    // Runs before the body is read, and cannot be disabled: the secret is Telegram's only proof of origin.
    if (!(await secretsEqual(c.req.header(SECRET_HEADER) ?? '', secret))) {
      if (deps.now() - lastUnauthorizedLogAt >= UNAUTHORIZED_LOG_INTERVAL_MS) {
        lastUnauthorizedLogAt = deps.now()
        logger.warn(`[${accountId}] webhook call with a missing or wrong secret token refused`)
      }
      return c.text('unauthorized', 401)
    }
    const body = await readBody(c.req.raw, BODY_LIMITS.telegramUpdate, 'telegram')
    // Anything but 2xx makes Telegram redeliver forever, so malformed updates are acknowledged and dropped.
    const parsed = UpdateSchema.safeParse(parseJson(body))
    if (!parsed.success) {
      logger.warn(`[${accountId}] dropped a webhook body that is not a Telegram update`)
      return c.json({})
    }
    const update = parsed.data
    if (!(await services.telegram.dedupe(accountId).claim(`update:${update.update_id}`))) {
      logger.debug(`[${accountId}] duplicate update ${update.update_id} ignored`)
      return c.json({})
    }
    account.recordInbound(deps.now())
    buffersFor(accountId).offer(update)
    return c.json({})
  }

  app.use('*', async (c, next) => {
    const accountId = services.telegram.accountForPath(c.req.path)
    if (accountId === undefined) return next()
    if (c.req.method !== 'POST') return c.text('Method Not Allowed', 405, { allow: 'POST' })
    return receive(c, accountId)
  })
  return app
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body))
  } catch {
    return undefined
  }
}
