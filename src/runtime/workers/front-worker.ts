import { Hono } from 'hono'
import { ResponseKind, InteractionKind } from '../../discord/discord-api.js'
import { DEFAULT_ACCOUNT_ID, envFor } from '../../discord/resolve-discord-account.js'
import { verifySignature } from '../../discord/verify-signature.js'
import { AppError } from '../../errors.js'
import { installErrorHandlers } from '../../http/install-error-handlers.js'
import { BODY_LIMITS, readBody } from '../../http/read-body.js'
import { createLogger } from '../../logging/logger.js'
import { formatLogLine } from '../../logging/format-log-line.js'
import { loadUiAssets, type UiAssets } from '../../ui-assets/load-ui-assets.js'
import { VERSION } from '../../version.js'
import { GATEWAY_OBJECT_NAME, toEnvironment, type WorkerEnv } from './worker-env.js'

const IMMUTABLE = 'public, max-age=31536000, immutable'
const API_PATHS = /^\/(api|v1|tools|hooks|discord|avatar)(\/|$)/

/**
 * The stateless front Worker: it answers `/health`, the Control UI's hashed assets and Discord's PING (after checking
 * the signature with `DISCORD_PUBLIC_KEY[_<ACCOUNT>]`) itself, so none of them wakes the gateway object, and forwards
 * everything else (WebSocket upgrades included) to the one gateway object.
 */
export function createFrontWorker(): Hono<{ Bindings: WorkerEnv }> {
  const startedAt = Date.now()
  const front = new Hono<{ Bindings: WorkerEnv }>()
  let assets: Promise<UiAssets | undefined> | undefined
  const forward = (request: Request, env: WorkerEnv) => env.GATEWAY.get(env.GATEWAY.idFromName(GATEWAY_OBJECT_NAME)).fetch(request)

  const health = () => {
    const now = Date.now()
    return Response.json({ ok: true, ts: now, uptimeMs: now - startedAt, version: VERSION }, { headers: { 'cache-control': 'no-store' } })
  }
  front.get('/health', health)
  front.get('/healthz', health)

  front.get('*', async (c, next) => {
    const path = c.req.path
    const assetsAt = path.indexOf('/assets/')
    if (assetsAt < 0 || API_PATHS.test(path) || c.req.header('upgrade') !== undefined) return next()
    assets ??= loadUiAssets()
    const asset = (await assets)?.get(path.slice(assetsAt + 1))
    // Unknown names go on to the object, whose answer (404, or the UI being disabled) is the authoritative one.
    if (asset === undefined) return next()
    const headers = { 'cache-control': IMMUTABLE, etag: asset.etag, 'x-content-type-options': 'nosniff' }
    if (c.req.header('if-none-match') === asset.etag) return new Response(null, { status: 304, headers })
    return new Response(asset.body as Uint8Array<ArrayBuffer>, { headers: { ...headers, 'content-type': asset.type } })
  })

  const interactions = async (request: Request, env: WorkerEnv, accountId: string): Promise<Response> => {
    const publicKey = envFor(toEnvironment(env), 'DISCORD_PUBLIC_KEY', accountId)
    // Without the key in the environment only the object knows it (learnt from the bot token): let it decide.
    if (publicKey === undefined) return forward(request, env)
    const body = await readBody(request, BODY_LIMITS.discordInteraction, 'discord')
    const signed = { body, signature: request.headers.get('x-signature-ed25519') ?? undefined, timestamp: request.headers.get('x-signature-timestamp') ?? undefined }
    if (!(await verifySignature(signed, publicKey, Date.now()))) throw new AppError('unauthorized', '[discord] invalid request signature')
    if (isPing(body)) return Response.json({ type: ResponseKind.pong })
    return forward(new Request(request, { body: body as Uint8Array<ArrayBuffer> }), env)
  }
  front.post('/discord/interactions', (c) => interactions(c.req.raw, c.env, DEFAULT_ACCOUNT_ID))
  front.post('/discord/:accountId/interactions', (c) => interactions(c.req.raw, c.env, c.req.param('accountId')))

  front.all('*', (c) => forward(c.req.raw, c.env))
  installErrorHandlers(front as unknown as Hono, createLogger({ now: Date.now, subsystem: 'front', sink: (record) => console.log(formatLogLine(record, { tty: false })) }))
  return front
}

function isPing(body: Uint8Array): boolean {
  try {
    return (JSON.parse(new TextDecoder().decode(body)) as { type?: unknown }).type === InteractionKind.ping
  } catch {
    return false
  }
}
