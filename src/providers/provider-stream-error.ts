/** Why a stream broke our contract, as opposed to an error the provider itself reported. */
export type ProviderStreamErrorType = 'incomplete_stream' | 'malformed_event'

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
export function toProviderStreamFailure(provider: string, error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return toAbortError(signal)
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
