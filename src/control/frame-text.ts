const encoder = new TextEncoder()

// RFC 6455 allows 125 bytes of close payload, two of which hold the code.
const MAX_CLOSE_REASON_BYTES = 123

/** Parses a text frame as JSON; `undefined` for binary frames (the protocol has none, spec §2) and bad JSON. */
export function parseFrameText(data: unknown): unknown {
  if (typeof data !== 'string') return undefined
  try {
    return JSON.parse(data)
  } catch {
    return undefined
  }
}

/** Whether a value is a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Cuts a close reason to what a close frame can carry, marking the cut with an ellipsis. */
export function truncateReason(reason: string): string {
  if (encoder.encode(reason).byteLength <= MAX_CLOSE_REASON_BYTES) return reason
  let cut = reason
  while (encoder.encode(cut).byteLength > MAX_CLOSE_REASON_BYTES - 3) cut = cut.slice(0, -1)
  return `${cut}...`
}
