import { z } from 'zod'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import type { ConnectionRegistry, ControlConnection } from './connections.js'
import { describeIssues, errorResponse, okResponse, type ErrorCode, type RequestFrame, type ResponseFrame } from './protocol.js'

/**
 * Reports per-channel status for `channels.status` and `health`: `{ [channelId]: summary & { accounts?,
 * defaultAccountId? } }`; `probe` asks each channel to check its credentials first.
 */
export type ChannelStatusProvider = (options?: { probe?: boolean }) => Promise<Record<string, unknown>>

/** What every method handler can reach: the app's capabilities, the caller, and the other connections. */
export interface MethodContext {
  deps: AppDeps
  connection: ControlConnection
  connections: ConnectionRegistry
  channelStatus?: ChannelStatusProvider
  /**
   * Sends an interim `res` for this request at once; the handler's result then becomes a second `res` under the
   * same id (upstream's `agent`: accepted, then final). Absent where a caller can take only one response.
   */
  acknowledge?: (payload: unknown) => void
}

/** One WS-RPC method: a name, a zod schema for its params, and the handler whose result becomes the payload. */
export interface MethodDefinition {
  name: string
  /** Admin-only methods; every authenticated operator is admin today, the flag keeps the rule for later. */
  admin: boolean
  call(context: MethodContext, params: unknown): Promise<unknown>
}

/**
 * Declares a method. Params are parsed with the schema (missing params count as `{}`); throw `MethodError` for a
 * failure the client should read.
 * @example defineMethod('chat.abort', z.looseObject({ sessionKey: z.string() }), (context, params) => ({ ok: true }))
 */
export function defineMethod<Schema extends z.ZodType>(
  name: string,
  params: Schema,
  handler: (context: MethodContext, params: z.output<Schema>) => unknown,
  options: { admin?: boolean } = {},
): MethodDefinition {
  return {
    name,
    admin: options.admin ?? false,
    async call(context, raw) {
      const parsed = params.safeParse(raw ?? {})
      if (!parsed.success) throw new MethodError('INVALID_REQUEST', `invalid ${name} params: ${describeIssues(parsed.error)}`)
      return handler(context, parsed.data)
    },
  }
}

/** Params schema for methods that take none; extra fields are ignored, as the UI sends `{}` or more. */
export const NoParams = z.looseObject({})

/** A failure a handler wants the client to see verbatim as `res.error`. */
export class MethodError extends Error {
  readonly code: ErrorCode
  readonly details?: unknown
  /** A payload sent beside the error (upstream's `agent` final: `{runId, status:"error", summary}`). */
  readonly payload?: unknown
  constructor(code: ErrorCode, message: string, details?: unknown, options: { payload?: unknown } = {}) {
    super(message)
    this.name = 'MethodError'
    this.code = code
    this.details = details
    this.payload = options.payload
  }
}

/** Indexes method definitions by name; a later definition replaces an earlier one (so the lead can override stubs). */
export function createMethodTable(definitions: readonly MethodDefinition[]): Map<string, MethodDefinition> {
  return new Map(definitions.map((definition) => [definition.name, definition]))
}

/** Runs one request against the table and always resolves with the `res` frame to send back. */
export async function callMethod(
  table: ReadonlyMap<string, MethodDefinition>,
  context: MethodContext,
  request: RequestFrame,
): Promise<ResponseFrame> {
  const definition = table.get(request.method)
  if (!definition) {
    return errorResponse(request.id, { code: 'INVALID_REQUEST', message: `unknown method: ${request.method}` })
  }
  try {
    return okResponse(request.id, await definition.call(context, request.params))
  } catch (error) {
    return errorResponse(request.id, toErrorShape(error, request.method, context), error instanceof MethodError ? error.payload : undefined)
  }
}

function toErrorShape(error: unknown, method: string, context: MethodContext) {
  if (error instanceof MethodError) {
    return { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) }
  }
  if (error instanceof AppError && (error.code === 'bad_request' || error.code === 'config_invalid' || error.code === 'conflict')) {
    return { code: 'INVALID_REQUEST' as const, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) }
  }
  // A crash is our bug or an outage: log the detail, tell the client only that the method failed (upstream: UNAVAILABLE).
  context.deps.logger.child('control').error(`method ${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  return { code: 'UNAVAILABLE' as const, message: `${method} failed; see the gateway logs` }
}
