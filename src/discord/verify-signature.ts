import { verifyKey } from 'discord-interactions'

/** How far a request's `X-Signature-Timestamp` may be from our clock (spec/discord.md §2.2). */
export const MAX_TIMESTAMP_SKEW_MS = 5 * 60_000

const SIGNATURE_PATTERN = /^[0-9a-fA-F]{128}$/
const TIMESTAMP_PATTERN = /^\d{1,15}$/

/** What the signature check needs from a request: its raw bytes and two headers. */
export interface SignedRequest {
  body: Uint8Array
  signature: string | undefined
  timestamp: string | undefined
}

/**
 * Checks Discord's Ed25519 signature: both headers present and well-formed, the timestamp within five minutes of
 * `now`, then `verifyKey` over `timestamp + rawBody`. Never throws; any doubt is `false` (the caller answers 401).
 * @see https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 */
export async function verifySignature(
  request: SignedRequest,
  publicKeyHex: string | undefined,
  now: number,
): Promise<boolean> {
  const { signature, timestamp } = request
  if (publicKeyHex === undefined || publicKeyHex === '') return false
  if (signature === undefined || !SIGNATURE_PATTERN.test(signature)) return false
  if (timestamp === undefined || !TIMESTAMP_PATTERN.test(timestamp)) return false
  // Discord sends seconds since the epoch; the skew check makes a captured request useless after five minutes.
  if (Math.abs(now - Number(timestamp) * 1000) > MAX_TIMESTAMP_SKEW_MS) return false
  return verifyKey(request.body, signature, timestamp, publicKeyHex)
}
