import { z } from 'zod'

/** Telegram's public Bot API; `TELEGRAM_API_BASE` points the client elsewhere (a local Bot API server, tests). */
export const DEFAULT_API_BASE = 'https://api.telegram.org'

/** `channels.telegram.retry`, upstream's defaults (spec/telegram.md §5.6). */
export interface TelegramRetrySettings {
  attempts: number
  minDelayMs: number
  maxDelayMs: number
  jitter: number
}

/** What the client is built from; `sleep` comes from the scheduler so tests never wait for real. */
export interface TelegramApiOptions {
  fetch: typeof fetch
  baseUrl: string
  token: string
  sleep: (milliseconds: number) => Promise<void>
  retry?: Partial<TelegramRetrySettings>
  random?: () => number
}

/** The Bot API as every Telegram module uses it. */
export interface TelegramApi {
  /** Calls a Bot API method with a JSON body and returns its `result`; throws `TelegramApiError` on `ok:false`. */
  call<T = unknown>(method: string, params?: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<T>
  /** Downloads a file by the `file_path` `getFile` returned, refusing bodies over `maxBytes`. */
  downloadFile(filePath: string, maxBytes: number): Promise<Uint8Array | undefined>
}

/** An `ok:false` answer (or a transport failure, `errorCode` 0); never carries the token. */
export class TelegramApiError extends Error {
  readonly method: string
  readonly errorCode: number
  readonly description: string
  readonly retryAfterSeconds: number | undefined
  readonly migrateToChatId: number | undefined

  constructor(method: string, errorCode: number, description: string, parameters: { retry_after?: number; migrate_to_chat_id?: number } = {}) {
    super(`[telegram] ${method} failed${errorCode === 0 ? '' : ` (${errorCode})`}: ${description}`)
    this.name = 'TelegramApiError'
    this.method = method
    this.errorCode = errorCode
    this.description = description
    this.retryAfterSeconds = parameters.retry_after
    this.migrateToChatId = parameters.migrate_to_chat_id
  }
}

const DEFAULT_RETRY: TelegramRetrySettings = { attempts: 3, minDelayMs: 400, maxDelayMs: 30_000, jitter: 0.1 }
const AnswerSchema = z.looseObject({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().optional(),
  description: z.string().optional(),
  parameters: z.looseObject({ retry_after: z.number().optional(), migrate_to_chat_id: z.number().optional() }).optional(),
})
// Upstream's send path retries these (spec/telegram.md §5.6); ours applies the policy to every call.
const TRANSIENT = /429|timeout|connect|reset|closed|unavailable|temporarily/i

/**
 * Creates a Bot API client over the injected `fetch`. One retry policy for every call: 429 waits `retry_after`
 * (failing instead when that is longer than `maxDelayMs`), transient errors back off with jitter, others fail at once.
 * @see https://core.telegram.org/bots/api#making-requests
 */
export function createTelegramApi(options: TelegramApiOptions): TelegramApi {
  const retry = { ...DEFAULT_RETRY, ...options.retry }
  const random = options.random ?? Math.random
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const backoff = (attempt: number): number => {
    const base = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** (attempt - 1))
    return Math.round(base * (1 + (random() * 2 - 1) * retry.jitter))
  }
  return {
    async call<T>(method: string, params: Record<string, unknown> = {}, callOptions: { signal?: AbortSignal } = {}): Promise<T> {
      for (let attempt = 1; ; attempt += 1) {
        let error: TelegramApiError
        try {
          const response = await options.fetch(`${baseUrl}/bot${options.token}/${method}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(params),
            signal: callOptions.signal,
          })
          const parsed = AnswerSchema.safeParse(await response.json().catch(() => undefined))
          if (parsed.success && parsed.data.ok) return parsed.data.result as T
          const body = parsed.success ? parsed.data : undefined
          error = new TelegramApiError(method, body?.error_code ?? response.status, body?.description ?? (response.statusText || 'no answer'), body?.parameters)
        } catch (thrown) {
          if (callOptions.signal?.aborted === true) throw thrown
          const message = thrown instanceof Error ? thrown.message : String(thrown)
          // Transport errors can name the URL, which holds the token.
          error = new TelegramApiError(method, 0, `network error: ${message.split(options.token).join('<token>')}`)
        }
        const delay = retryDelay(error, attempt, backoff)
        if (delay === undefined || attempt >= retry.attempts || delay > retry.maxDelayMs) throw error
        await options.sleep(delay)
      }
    },
    async downloadFile(filePath, maxBytes) {
      const response = await options.fetch(`${baseUrl}/file/bot${options.token}/${filePath.split('/').map(encodeURIComponent).join('/')}`)
      if (!response.ok) throw new TelegramApiError('getFile download', response.status, response.statusText)
      const declared = Number(response.headers.get('content-length') ?? '0')
      if (declared > maxBytes) {
        await response.body?.cancel()
        return undefined
      }
      const bytes = new Uint8Array(await response.arrayBuffer())
      return bytes.byteLength > maxBytes ? undefined : bytes
    },
  }
}

function retryDelay(error: TelegramApiError, attempt: number, backoff: (attempt: number) => number): number | undefined {
  if (error.errorCode === 429) return error.retryAfterSeconds === undefined ? backoff(attempt) : error.retryAfterSeconds * 1000
  if (error.errorCode === 0 || error.errorCode >= 500 || TRANSIENT.test(error.description)) return backoff(attempt)
  return undefined
}
