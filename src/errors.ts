/**
 * The one error type of the gateway core. Routes, stores and providers throw it; `app.onError` renders it.
 * Messages start with the subsystem (`[config] …`) and say how to fix the problem; they never echo user input.
 */
export type AppErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'payload_too_large'
  | 'conflict'
  | 'too_many_requests'
  | 'config_invalid'
  | 'provider_failed'
  | 'unavailable'
  | 'internal'

/** HTTP status for each error code; the single table used by every renderer. */
export const STATUS_BY_CODE: Record<AppErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 502 | 503> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  conflict: 409,
  too_many_requests: 429,
  config_invalid: 500,
  provider_failed: 502,
  unavailable: 503,
  internal: 500,
}

export class AppError extends Error {
  readonly code: AppErrorCode
  /** Extra machine-readable detail safe to show a client (e.g. config issues). */
  readonly details?: unknown

  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options?.details
  }

  get status(): number {
    return STATUS_BY_CODE[this.code]
  }
}

/** The JSON body every HTTP error response carries: `{ error: { code, message, details? } }`. */
export function toErrorBody(error: AppError): { error: { code: AppErrorCode; message: string; details?: unknown } } {
  const body: { code: AppErrorCode; message: string; details?: unknown } = { code: error.code, message: error.message }
  if (error.details !== undefined) body.details = error.details
  return { error: body }
}
