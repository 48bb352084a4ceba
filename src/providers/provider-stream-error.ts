/** Why a stream broke our contract, as opposed to an error the provider itself reported. */
export type ProviderStreamErrorType = 'incomplete_stream' | 'malformed_event' | 'unreachable'

/**
 * A provider stream that ended before its final event or carried an event we could not parse. It has no `status`,
 * so failover does not mistake it for an HTTP error.
 */
export class ProviderStreamError extends Error {
  readonly provider: string
  readonly type: ProviderStreamErrorType

  constructor(provider: string, type: ProviderStreamErrorType, message: string, options?: { cause?: unknown }) {
    super(`[${provider}] ${message}`, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ProviderStreamError'
    this.provider = provider
    this.type = type
  }
}

/**
 * The error to throw once the caller's signal has fired. The SDKs end a stream quietly when it is aborted, and a
 * custom abort reason may be any value, so this guarantees an error whose name contains `Abort`.
 */
export function toAbortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  if (reason instanceof Error && reason.name.includes('Abort')) return reason
  return new DOMException('The model request was aborted.', 'AbortError')
}

/**
 * Turns what an SDK stream threw into the error a provider reports: an abort when the caller aborted, our own
 * error for unparseable events and cut connections, and the SDK's error (with `status` and the provider's message)
 * for everything the provider reported itself.
 */
export function toProviderStreamFailure(provider: string, error: unknown, signal: AbortSignal, baseUrl?: string): unknown {
  if (signal.aborted) return toAbortError(signal)
  const unreachable = connectionFailure(error)
  if (unreachable !== undefined) {
    return new ProviderStreamError(provider, 'unreachable', `cannot reach ${hostOf(baseUrl)}: ${unreachable}`, { cause: error })
  }
  if (error instanceof SyntaxError) {
    return new ProviderStreamError(provider, 'malformed_event', `malformed stream event: ${error.message}`, {
      cause: error,
    })
  }
  // Errors from fetch's body reader (undici says "terminated") mean the connection went away mid-stream.
  if (error instanceof TypeError) {
    return new ProviderStreamError(provider, 'incomplete_stream', `connection closed mid-stream: ${error.message}`, {
      cause: error,
    })
  }
  return error
}

// What Node's fetch reports when no connection could be made or it was cut before any answer.
const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
}

/**
 * A description when the error (or one of its causes) says the provider could not be reached at all, e.g. the SDKs'
 * `APIConnectionError("Connection error.")` around fetch's `TypeError("fetch failed")` around `ECONNREFUSED`.
 */
function connectionFailure(error: unknown): string | undefined {
  // Only the SDKs' connection error means "no answer"; a raw fetch TypeError mid-stream is a cut stream instead.
  if (!namesOf(error).includes('APIConnectionError')) return undefined
  let current: unknown = (error as { cause?: unknown }).cause
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth += 1) {
    const record = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown }
    if (typeof record.code === 'string' && record.code in CONNECTION_CODES) return `${CONNECTION_CODES[record.code]} (${record.code})`
    if (record.name === 'TimeoutError' && typeof record.message === 'string') return record.message.replace(/^\[[^\]]+\]\s*/, '')
    current = record.cause
  }
  return 'connection failed'
}

function namesOf(error: unknown): unknown[] {
  if (error === null || typeof error !== 'object') return []
  const record = error as { name?: unknown; constructor?: { name?: unknown } }
  return [record.name, record.constructor?.name]
}

function hostOf(baseUrl: string | undefined): string {
  if (baseUrl === undefined) return 'the provider'
  try {
    return new URL(baseUrl).host
  } catch {
    return 'the provider'
  }
}
