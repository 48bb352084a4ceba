import { AppError } from '../errors.js'

/**
 * Body caps per route, in bytes. Every POST route reads its body through `readBody`/`readJsonBody` with one of these,
 * so no route buffers more than its cap, chunked or not.
 */
export const BODY_LIMITS = {
  /** Discord interactions are a few kilobytes, resolved messages included. */
  discordInteraction: 1024 * 1024,
  /** One Telegram update; real ones are a few kilobytes (a reply's quoted message included). */
  telegramUpdate: 1024 * 1024,
  /** `{"code":"ABCD1234"}`. */
  pairingApprove: 4 * 1024,
  /** Room for a few pasted images as data URLs, as on the control socket. */
  chatCompletions: 8 * 1024 * 1024,
} as const

/**
 * Reads a request body as bytes, counting bytes as they stream in. A declared `Content-Length` over the cap is refused
 * before reading anything; a chunked body is cut off as soon as it passes the cap. Either way the client gets a 413
 * and we hold at most `limit` bytes.
 * @example const bytes = await readBody(c.req.raw, BODY_LIMITS.discordInteraction, 'discord')
 */
export async function readBody(request: Request, limit: number, subsystem: string): Promise<Uint8Array> {
  const tooLarge = () => new AppError('payload_too_large', `[${subsystem}] request body is larger than ${describeBytes(limit)}; send less`)
  const declared = Number(request.headers.get('content-length') ?? '')
  if (Number.isFinite(declared) && declared > limit) throw tooLarge()
  if (request.body === null) return new Uint8Array()
  const { bytes, truncated } = await readStreamPrefix(request.body, limit)
  if (truncated) throw tooLarge()
  return bytes
}

/**
 * Reads at most `limit` bytes of a stream and cancels the rest; `truncated` says whether there was more. The one
 * byte-counting reader: request bodies (above) and responses of model-chosen URLs (web_fetch) both use it.
 */
export async function readStreamPrefix(stream: ReadableStream<Uint8Array>, limit: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const reader = stream.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  let truncated = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (value.byteLength > limit - size) {
      parts.push(value.subarray(0, limit - size))
      size = limit
      truncated = true
      await reader.cancel().catch(() => undefined)
      break
    }
    parts.push(value)
    size += value.byteLength
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    bytes.set(part, offset)
    offset += part.byteLength
  }
  return { bytes, truncated }
}

/** `readBody`, then JSON: a body that is not UTF-8 JSON is a 400 naming the subsystem. */
export async function readJsonBody(request: Request, limit: number, subsystem: string): Promise<unknown> {
  const bytes = await readBody(request, limit, subsystem)
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (error) {
    throw new AppError('bad_request', `[${subsystem}] request body is not valid JSON; send Content-Type: application/json with a JSON body`, { cause: error })
  }
}

function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${bytes / (1024 * 1024)} MiB`
  if (bytes >= 1024) return `${bytes / 1024} KiB`
  return `${bytes} bytes`
}
