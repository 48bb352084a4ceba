import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local fake of the Discord REST API (v10) on 127.0.0.1, port 0. It records every call, enforces the 2000-character
 * `content` limit with Discord's real 400 body, answers 429 with `retry_after` when told to, and serves the routes
 * the channel uses: users/@me, oauth2/applications/@me, PATCH applications/@me, command bulk overwrites (global and
 * guild), interaction webhooks (@original edit/delete, follow-ups), channel messages, guilds and channels, plus a
 * `/cdn/<name>` route for attachment downloads.
 */

/** One recorded call; `path` excludes the `/api/v10` prefix, `body` is parsed JSON (or undefined). */
export interface DiscordCall {
  method: string
  path: string
  authorization: string | undefined
  body: any
}

/** A scripted failure for the next matching call(s). */
interface Failure {
  match: (call: DiscordCall) => boolean
  remaining: number
  status: number
  body: unknown
  headers?: Record<string, string>
}

export interface FakeDiscordServer {
  /** REST base to put in `DISCORD_API_BASE_URL` (ends in `/api/v10`). */
  url: string
  /** Origin for CDN-style URLs (attachments). */
  origin: string
  calls: DiscordCall[]
  /** Calls other than GETs of names and identity, i.e. what the channel *sent*. */
  writes(): DiscordCall[]
  /** Resolves once a call matching `predicate` has been recorded (already-recorded calls count). */
  waitFor(predicate: (call: DiscordCall) => boolean): Promise<DiscordCall>
  /** The next `count` calls matching `match` get a 429 with this `retry_after` (seconds). */
  rateLimit(match: (call: DiscordCall) => boolean, retryAfterSeconds: number, count?: number): void
  /** The next `count` matching calls fail with `status` and Discord-shaped `body`. */
  fail(match: (call: DiscordCall) => boolean, status: number, body: unknown, count?: number): void
  /** Bytes served at `/cdn/<name>`. */
  files: Map<string, { contentType: string; bytes: Uint8Array }>
  guilds: Map<string, { name: string }>
  channels: Map<string, { name: string }>
  close(): Promise<void>
}

export interface FakeDiscordOptions {
  botToken: string
  bot?: { id: string; username: string }
  application: { id: string; verify_key: string; name?: string }
}

const API_PREFIX = '/api/v10'
const MAX_CONTENT = 2000

/** Starts the fake; close it in `afterEach`/`afterAll`. */
export async function startFakeDiscord(options: FakeDiscordOptions): Promise<FakeDiscordServer> {
  const bot = options.bot ?? { id: '900000000000000001', username: 'Clawd' }
  const calls: DiscordCall[] = []
  const failures: Failure[] = []
  const waiters: Array<{ predicate: (call: DiscordCall) => boolean; resolve: (call: DiscordCall) => void }> = []
  const files = new Map<string, { contentType: string; bytes: Uint8Array }>()
  const guilds = new Map<string, { name: string }>()
  const channels = new Map<string, { name: string }>()
  let messageCounter = 0

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (url.pathname.startsWith('/cdn/')) {
      const file = files.get(url.pathname.slice('/cdn/'.length))
      if (file === undefined) return send(response, 404, { message: 'Not Found' })
      response.writeHead(200, { 'content-type': file.contentType })
      response.end(file.bytes)
      return
    }
    const text = await readText(request)
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname
    const call: DiscordCall = { method: request.method ?? 'GET', path, authorization: request.headers.authorization, body: text === '' ? undefined : JSON.parse(text) }
    calls.push(call)
    for (const waiter of [...waiters]) {
      if (waiter.predicate(call)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(call)
      }
    }
    const failure = failures.find((candidate) => candidate.remaining > 0 && candidate.match(call))
    if (failure !== undefined) {
      failure.remaining -= 1
      return send(response, failure.status, failure.body, failure.headers)
    }
    route(call, response)
  })

  const route = (call: DiscordCall, response: ServerResponse): void => {
    const { method, path } = call
    const botAuthorized = call.authorization === `Bot ${options.botToken}`
    const needsBot = !path.startsWith('/webhooks/')
    if (needsBot && !botAuthorized) return send(response, 401, { message: '401: Unauthorized', code: 0 })
    if (method === 'GET' && path === '/users/@me') return send(response, 200, { ...bot, discriminator: '0', bot: true })
    if (method === 'GET' && path === '/oauth2/applications/@me') return send(response, 200, options.application)
    if (method === 'PATCH' && path === '/applications/@me') return send(response, 200, { ...options.application, ...call.body })
    if (method === 'PUT' && /^\/applications\/[^/]+(\/guilds\/[^/]+)?\/commands$/.test(path)) {
      const commands = Array.isArray(call.body) ? call.body : []
      return send(response, 200, commands.map((command: object, index: number) => ({ id: String(1000 + index), ...command })))
    }
    // Opening a DM: the DM channel's id is derived from the user's, so tests can predict it.
    if (method === 'POST' && path === '/users/@me/channels') return send(response, 200, { id: `dm-${String(call.body?.recipient_id)}`, type: 1 })
    const guild = /^\/guilds\/([^/]+)$/.exec(path)
    if (method === 'GET' && guild !== null) return named(response, guilds.get(guild[1] as string), guild[1] as string)
    const channel = /^\/channels\/([^/]+)$/.exec(path)
    if (method === 'GET' && channel !== null) return named(response, channels.get(channel[1] as string), channel[1] as string)
    const isMessageWrite =
      (method === 'PATCH' && /^\/webhooks\/[^/]+\/[^/]+\/messages\/[^/]+$/.test(path)) ||
      (method === 'POST' && /^\/webhooks\/[^/]+\/[^/]+$/.test(path)) ||
      (method === 'POST' && /^\/channels\/[^/]+\/messages$/.test(path))
    if (isMessageWrite) {
      const content = call.body?.content
      if (typeof content === 'string' && content.length > MAX_CONTENT) {
        return send(response, 400, {
          message: 'Invalid Form Body',
          code: 50035,
          errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } },
        })
      }
      messageCounter += 1
      return send(response, 200, { id: String(5000 + messageCounter), content, type: 0 })
    }
    if (method === 'DELETE' && /^\/webhooks\/[^/]+\/[^/]+\/messages\/[^/]+$/.test(path)) {
      response.writeHead(204)
      response.end()
      return
    }
    send(response, 404, { message: '404: Not Found', code: 0 })
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}${API_PREFIX}`,
    origin,
    calls,
    files,
    guilds,
    channels,
    writes: () => calls.filter((call) => call.method !== 'GET'),
    waitFor(predicate) {
      const found = calls.find(predicate)
      if (found !== undefined) return Promise.resolve(found)
      return new Promise((resolve) => waiters.push({ predicate, resolve }))
    },
    rateLimit(match, retryAfterSeconds, count = 1) {
      failures.push({
        match,
        remaining: count,
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
        headers: { 'retry-after': String(Math.ceil(retryAfterSeconds)), 'x-ratelimit-scope': 'user' },
      })
    },
    fail(match, status, body, count = 1) {
      failures.push({ match, remaining: count, status, body })
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function named(response: ServerResponse, entry: { name: string } | undefined, id: string): void {
  if (entry === undefined) return send(response, 404, { message: 'Unknown Guild', code: 10004 })
  send(response, 200, { id, ...entry })
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers })
  response.end(JSON.stringify(body))
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}
