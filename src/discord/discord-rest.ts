import { z } from 'zod'
import { fetchWithTimeout, type After } from '../http/fetch-with-timeout.js'

/** Retry settings for 429 and transient 5xx answers (`channels.discord.retry`, upstream defaults). */
export interface RetrySettings {
  /** Total tries, the first included. */
  attempts: number
  /** Backoff base when Discord gives no `retry_after`. */
  minDelayMs: number
  /** A longer `retry_after` than this is not waited for: the request fails instead. */
  maxDelayMs: number
}

/** What the REST client is built from; `sleep` is injected so tests never wait for real. */
export interface DiscordRestOptions {
  fetch: typeof fetch
  baseUrl: string
  /** Bot token without the `Bot ` prefix; only sent on routes that need it (webhook routes never do). */
  token?: string
  sleep: (milliseconds: number) => Promise<void>
  retry?: Partial<RetrySettings>
  /** Deadline per call, body included; without `after` there is none (unit tests with a scripted fetch). */
  timeoutMs?: number
  after?: After
}

/** Discord answers in well under a second; a call still open after this is hung, and a drain must not wait on it. */
export const DISCORD_REST_TIMEOUT_MS = 10_000

/** A call to the Discord REST API. */
export interface DiscordRequest {
  body?: unknown
  /** Send the bot token; false for interaction webhook routes, which authenticate by the token in the path. */
  auth?: boolean
}

/** The REST surface every Discord module uses. */
export interface DiscordRest {
  request<T = unknown>(method: string, path: string, request?: DiscordRequest): Promise<T>
}

/** A non-2xx answer from Discord; `code` is Discord's JSON error code (e.g. 10062 Unknown interaction). */
export class DiscordApiError extends Error {
  readonly status: number
  readonly code: number | undefined

  constructor(status: number, code: number | undefined, message: string) {
    super(message)
    this.name = 'DiscordApiError'
    this.status = status
    this.code = code
  }
}

const DEFAULT_RETRY: RetrySettings = { attempts: 3, minDelayMs: 500, maxDelayMs: 30_000 }
const ErrorBodySchema = z.looseObject({
  message: z.string().optional(),
  code: z.number().optional(),
  retry_after: z.number().optional(),
})

/**
 * Creates a small Discord REST client over the injected `fetch`. It honours 429 `retry_after` up to a cap and
 * never puts the bot token or an interaction token into an error message.
 * @see https://discord.com/developers/docs/topics/rate-limits
 */
export function createDiscordRest(options: DiscordRestOptions): DiscordRest {
  const retry = { ...DEFAULT_RETRY, ...options.retry }
  const fetcher = options.after
    ? fetchWithTimeout(options.fetch, { timeoutMs: options.timeoutMs ?? DISCORD_REST_TIMEOUT_MS, after: options.after, subsystem: 'discord', until: 'body' })
    : options.fetch
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  return {
    async request<T>(method: string, path: string, request: DiscordRequest = {}): Promise<T> {
      const headers: Record<string, string> = { 'user-agent': 'DiscordBot (clawdbot-edge-gateway, 0.1)' }
      if (request.auth !== false) {
        if (options.token === undefined) throw new DiscordApiError(0, undefined, `[discord] ${method} ${redactPath(path)} needs a bot token; set DISCORD_BOT_TOKEN or channels.discord.token`)
        headers.authorization = `Bot ${options.token}`
      }
      if (request.body !== undefined) headers['content-type'] = 'application/json'
      for (let attempt = 1; ; attempt += 1) {
        const response = await fetcher(`${baseUrl}${path}`, {
          method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
        })
        if (response.ok) {
          const text = await response.text()
          return (text === '' ? undefined : JSON.parse(text)) as T
        }
        const parsed = ErrorBodySchema.safeParse(await response.json().catch(() => ({})))
        const body = parsed.success ? parsed.data : {}
        const delay = retryDelay(response, body.retry_after, attempt, retry)
        if (delay !== undefined && attempt < retry.attempts && delay <= retry.maxDelayMs) {
          await options.sleep(delay)
          continue
        }
        const detail = body.message ?? response.statusText
        throw new DiscordApiError(response.status, body.code, `[discord] ${method} ${redactPath(path)} failed with ${response.status}: ${detail}`)
      }
    },
  }
}

/** How long to wait before retrying, or undefined when the status is not worth a retry. */
function retryDelay(response: Response, retryAfterSeconds: number | undefined, attempt: number, retry: RetrySettings): number | undefined {
  if (response.status === 429) {
    const header = Number(response.headers.get('retry-after'))
    const seconds = retryAfterSeconds ?? (Number.isFinite(header) ? header : undefined)
    return seconds === undefined ? retry.minDelayMs * 2 ** (attempt - 1) : Math.ceil(seconds * 1000)
  }
  // A gateway hiccup in front of Discord; 4xx other than 429 would fail the same way again.
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    return retry.minDelayMs * 2 ** (attempt - 1)
  }
  return undefined
}

/** Interaction tokens live in webhook paths; they are short-lived credentials and stay out of logs. */
function redactPath(path: string): string {
  return path.replace(/^(\/webhooks\/[^/]+\/)[^/?]+/, '$1<token>')
}
