import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local fake of the Telegram Bot API (spec/telegram.md §7) on 127.0.0.1, port 0. It serves
 * `POST /bot<token>/<method>` (JSON or form bodies; method names case-insensitive), records every call, answers with
 * Bot API envelopes (`{ok:true,result}` / `{ok:false,error_code,description,parameters}`), enforces the 4096-character
 * text limit and Telegram's HTML entity rules on `sendMessage`, and fails scripted calls on demand.
 */

/** One recorded call: the method lower-cased and the parsed body. */
export interface TelegramCall {
  method: string
  token: string
  body: any
  /** `Date.now()` when the call arrived, for ordering assertions (never for waiting). */
  at: number
}

interface Failure {
  match: (call: TelegramCall) => boolean
  remaining: number
  status: number
  body: Record<string, unknown>
}

export interface FakeTelegramServer {
  /** Value for `TELEGRAM_API_BASE`. */
  url: string
  calls: TelegramCall[]
  /** Calls of one method (case-insensitive). */
  callsTo(method: string): TelegramCall[]
  /** Resolves once a matching call has been recorded (already-recorded calls count). */
  waitFor(predicate: (call: TelegramCall) => boolean): Promise<TelegramCall>
  /** The next `count` calls matching `match` fail with this status and Bot API description. */
  fail(match: (call: TelegramCall) => boolean, status: number, description: string, parameters?: Record<string, unknown>, count?: number): void
  /** The bot `getMe` returns; change it before the gateway starts. */
  me: Record<string, unknown>
  /** What `getWebhookInfo` reports besides the URL `setWebhook` stored. */
  webhookInfo: Record<string, unknown>
  /** Bytes served at `/file/bot<token>/<path>`, with the `getFile` answer built from them. */
  files: Map<string, Uint8Array>
  close(): Promise<void>
}

const MAX_TEXT = 4096

/** Starts the fake for one bot token; close it in `afterEach`. */
export async function startFakeTelegram(options: { token: string }): Promise<FakeTelegramServer> {
  const calls: TelegramCall[] = []
  const failures: Failure[] = []
  const waiters: Array<{ predicate: (call: TelegramCall) => boolean; resolve: (call: TelegramCall) => void }> = []
  const files = new Map<string, Uint8Array>()
  const me: Record<string, unknown> = {
    id: 7000,
    is_bot: true,
    first_name: 'Clawd',
    username: 'clawd_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    has_topics_enabled: false,
  }
  const webhookInfo: Record<string, unknown> = { has_custom_certificate: false, pending_update_count: 0, max_connections: 40 }
  let webhook: Record<string, unknown> = { url: '' }
  let commands: unknown[] = []
  let messageId = 100

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname)
    if (file !== null) {
      const bytes = files.get(decodeURIComponent(file[2] as string))
      if (file[1] !== options.token || bytes === undefined) return send(response, 404, { ok: false, error_code: 404, description: 'Not Found' })
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) })
      response.end(bytes)
      return
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname)
    if (match === null) return send(response, 404, { ok: false, error_code: 404, description: 'Not Found' })
    const text = await readText(request)
    const type = request.headers['content-type'] ?? ''
    const body = type.includes('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(text)) : text === '' ? {} : JSON.parse(text)
    const call: TelegramCall = { method: (match[2] as string).toLowerCase(), token: match[1] as string, body, at: Date.now() }
    calls.push(call)
    for (const waiter of [...waiters]) {
      if (waiter.predicate(call)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(call)
      }
    }
    if (call.token !== options.token) return send(response, 401, { ok: false, error_code: 401, description: 'Unauthorized' })
    const failure = failures.find((candidate) => candidate.remaining > 0 && candidate.match(call))
    if (failure !== undefined) {
      failure.remaining -= 1
      return send(response, failure.status, failure.body)
    }
    const ok = (result: unknown) => send(response, 200, { ok: true, result })
    const bad = (description: string) => send(response, 400, { ok: false, error_code: 400, description })
    switch (call.method) {
      case 'getme':
        return ok(me)
      case 'setwebhook':
        webhook = { url: body.url, allowed_updates: body.allowed_updates }
        return ok(true)
      case 'deletewebhook':
        webhook = { url: '' }
        return ok(true)
      case 'getwebhookinfo':
        return ok({ ...webhookInfo, ...webhook })
      case 'setmycommands':
        commands = body.commands ?? []
        return ok(true)
      case 'getmycommands':
        return ok(commands)
      case 'sendmessage':
      case 'editmessagetext': {
        const problem = checkText(body)
        if (problem !== undefined) return bad(problem)
        messageId += 1
        return ok({ message_id: messageId, date: 1767225600, chat: { id: body.chat_id, type: 'private' }, text: visibleText(body) })
      }
      case 'sendmessagedraft':
      case 'sendchataction':
      case 'answercallbackquery':
      case 'setmessagereaction':
        return ok(true)
      case 'getfile': {
        const path = String(body.file_id)
        const bytes = files.get(path)
        if (bytes === undefined) return bad('Bad Request: invalid file_id')
        return ok({ file_id: body.file_id, file_unique_id: `U-${path}`, file_size: bytes.byteLength, file_path: path })
      }
      case 'getchatmember':
        return ok({ status: 'member', user: { id: body.user_id, is_bot: true, first_name: 'Clawd' } })
      default:
        return send(response, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' })
    }
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    me,
    webhookInfo,
    files,
    callsTo: (method) => calls.filter((call) => call.method === method.toLowerCase()),
    waitFor(predicate) {
      const found = calls.find(predicate)
      if (found !== undefined) return Promise.resolve(found)
      return new Promise((resolve) => waiters.push({ predicate, resolve }))
    },
    fail(match, status, description, parameters, count = 1) {
      failures.push({ match, remaining: count, status, body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) } })
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The text Telegram would show: HTML tags removed and entities decoded when `parse_mode` is HTML. */
export function visibleText(body: { text?: unknown; parse_mode?: unknown }): string {
  const text = String(body.text ?? '')
  if (body.parse_mode !== 'HTML') return text
  return text
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&')
}

const ALLOWED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote'])

/** Telegram's checks on a text message: length 1–4096 after entity parsing, and well-formed HTML in HTML mode. */
function checkText(body: { text?: unknown; parse_mode?: unknown }): string | undefined {
  const visible = visibleText(body)
  if (visible.trim() === '') return 'Bad Request: message text is empty'
  if (visible.length > MAX_TEXT) return 'Bad Request: message is too long'
  if (body.parse_mode !== 'HTML') return undefined
  const text = String(body.text)
  const stack: string[] = []
  for (const tag of text.matchAll(/<(\/?)([a-zA-Z-]+)([^>]*)>/g)) {
    const [, closing, name] = tag as unknown as [string, string, string]
    const lower = name.toLowerCase()
    if (!ALLOWED_TAGS.has(lower)) return `Bad Request: can't parse entities: Unsupported start tag "${lower}" at byte offset ${tag.index}`
    if (closing === '') stack.push(lower)
    else if (stack.pop() !== lower) return `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${lower}"`
  }
  if (stack.length > 0) return `Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 0`
  if (/&(?!(lt|gt|amp|quot|#\d+);)/.test(text)) return "Bad Request: can't parse entities: Character '&' is reserved"
  if (/<(?![a-zA-Z/])/.test(text)) return "Bad Request: can't parse entities: Unexpected end tag"
  return undefined
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' })
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
