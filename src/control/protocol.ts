import { z } from 'zod'

/** The only gateway protocol version we speak (spec/protocol.md §2). */
export const PROTOCOL_VERSION = 3

/** Inbound frame cap: upstream's 512 KiB is raised so a pasted image fits in one `chat.send` (spec §2). */
export const MAX_PAYLOAD_BYTES = 8 * 1024 * 1024

/**
 * Inbound frame cap until `hello-ok`: a `connect` frame is well under 1 KiB, so an unauthenticated client never gets
 * to make us buffer megabytes. The transport enforces it where it can (ws `maxPayload` on Node) and the session
 * checks again.
 */
export const MAX_PREAUTH_PAYLOAD_BYTES = 16 * 1024

/** Sockets one client address may hold open before completing `connect`; the Control UI needs one. */
export const MAX_PENDING_SOCKETS_PER_CLIENT = 8

/** Sockets all clients together may hold open before completing `connect`. */
export const MAX_PENDING_SOCKETS = 256

/** Outbound backlog past which a socket counts as a slow consumer; above the 6 MiB `chat.history` cap. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024

/** How long a client has after opening the socket to complete `connect`. */
export const HANDSHAKE_TIMEOUT_MS = 10_000

/** Interval of the `tick` keep-alive event, also advertised in `hello-ok.policy`. */
export const TICK_INTERVAL_MS = 30_000

/** Close codes we use; 1012 is the one the Control UI does not show as an error. */
export const CLOSE_CODES = {
  protocolError: 1002,
  policyViolation: 1008,
  messageTooBig: 1009,
  serviceRestart: 1012,
} as const

/** Error codes of `res` frames; the UI only reads `message`. */
export type ErrorCode = 'INVALID_REQUEST' | 'UNAVAILABLE' | 'NOT_PAIRED' | 'NOT_LINKED' | 'AGENT_TIMEOUT'

/** The `error` of a failed `res` frame. */
export interface ErrorShape {
  code: ErrorCode
  message: string
  details?: unknown
  retryable?: boolean
  retryAfterMs?: number
}

/** A response frame, echoing the request id. */
export type ResponseFrame =
  | { type: 'res'; id: string; ok: true; payload?: unknown }
  | { type: 'res'; id: string; ok: false; error: ErrorShape }

/** An event frame; `seq` is per connection and absent on `connect.challenge`. */
export interface EventFrame {
  type: 'event'
  event: string
  payload?: unknown
  seq?: number
  stateVersion?: { presence: number; health: number }
}

/** Any inbound request; unknown fields are accepted (spec §3.2). */
export const RequestFrameSchema = z.looseObject({
  type: z.literal('req'),
  id: z.string().min(1),
  method: z.string().min(1),
  params: z.unknown().optional(),
})

/** A validated inbound request frame. */
export type RequestFrame = z.infer<typeof RequestFrameSchema>

const ClientInfoSchema = z.looseObject({
  // Client ids change with upstream renames, so any string is accepted (spec §3.2).
  id: z.string().optional(),
  version: z.string().optional(),
  platform: z.string().optional(),
  mode: z.string().optional(),
  displayName: z.string().optional(),
  instanceId: z.string().optional(),
  deviceFamily: z.string().optional(),
  modelIdentifier: z.string().optional(),
})

/** `connect` params, validated leniently: the `device` block and unknown fields pass through unread. */
export const ConnectParamsSchema = z.looseObject({
  minProtocol: z.number().int(),
  maxProtocol: z.number().int(),
  client: ClientInfoSchema.optional(),
  role: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  caps: z.array(z.unknown()).optional(),
  auth: z.looseObject({ token: z.string().optional(), password: z.string().optional() }).optional(),
  device: z.unknown().optional(),
  userAgent: z.string().optional(),
  locale: z.string().optional(),
})

/** Validated `connect` params. */
export type ConnectParams = z.infer<typeof ConnectParamsSchema>

/** Builds a successful `res` frame. */
export function okResponse(id: string, payload: unknown): ResponseFrame {
  return { type: 'res', id, ok: true, payload }
}

/** Builds a failed `res` frame. */
export function errorResponse(id: string, error: ErrorShape): ResponseFrame {
  return { type: 'res', id, ok: false, error }
}

/** Turns a zod failure into the one-line text after `invalid <method> params: `. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}
