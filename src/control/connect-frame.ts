import { parseFrameText } from './frame-text.js'
import {
  CLOSE_CODES,
  ConnectParamsSchema,
  describeIssues,
  PROTOCOL_VERSION,
  RequestFrameSchema,
  type ConnectParams,
  type ErrorShape,
} from './protocol.js'

const FIRST_FRAME_REASON = 'invalid handshake: first request must be connect'

/** The verdict on a first frame: a usable `connect`, or the `res` error plus close code and reason to refuse with. */
export type ConnectFrameCheck =
  | { ok: true; id: string; params: ConnectParams }
  | { ok: false; id: string; error: ErrorShape; closeCode: number; reason: string }

/**
 * Checks the first frame of a connection before any auth (spec §3): it must be a `req connect` with lenient-valid
 * params and a protocol range that includes 3 (else 1002, upstream's "protocol mismatch").
 */
export function checkConnectFrame(data: unknown): ConnectFrameCheck {
  const frame = RequestFrameSchema.safeParse(parseFrameText(data))
  if (!frame.success || frame.data.method !== 'connect') {
    const id = frame.success ? frame.data.id : 'invalid'
    return refuse(id, { code: 'INVALID_REQUEST', message: FIRST_FRAME_REASON }, CLOSE_CODES.policyViolation, FIRST_FRAME_REASON)
  }
  const id = frame.data.id
  const params = ConnectParamsSchema.safeParse(frame.data.params ?? {})
  if (!params.success) {
    const message = `invalid connect params: ${describeIssues(params.error)}`
    return refuse(id, { code: 'INVALID_REQUEST', message }, CLOSE_CODES.policyViolation, message)
  }
  if (params.data.maxProtocol < PROTOCOL_VERSION || params.data.minProtocol > PROTOCOL_VERSION) {
    const error: ErrorShape = { code: 'INVALID_REQUEST', message: 'protocol mismatch', details: { expectedProtocol: PROTOCOL_VERSION } }
    return refuse(id, error, CLOSE_CODES.protocolError, 'protocol mismatch')
  }
  return { ok: true, id, params: params.data }
}

function refuse(id: string, error: ErrorShape, closeCode: number, reason: string): ConnectFrameCheck {
  return { ok: false, id, error, closeCode, reason }
}
