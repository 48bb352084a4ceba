/**
 * Signs Discord interaction payloads with a real Ed25519 key (WebCrypto), so every test runs the production
 * verifier (`verifyKey` from discord-interactions) instead of a stub.
 *
 * @example
 * const keys = await createInteractionKeys()
 * const init = await signInteraction(keys, { id: '1', type: 1, application_id: 'app' }, { timestamp: now / 1000 })
 * await app.request('/discord/interactions', init)
 */

/** A test application's key pair; `publicKeyHex` is what `DISCORD_PUBLIC_KEY` / `verify_key` would hold. */
export interface InteractionKeys {
  publicKeyHex: string
  privateKey: CryptoKey
}

/** Generates a fresh Ed25519 key pair. */
export async function createInteractionKeys(): Promise<InteractionKeys> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))
  return { publicKeyHex: toHex(raw), privateKey: pair.privateKey }
}

/** Options for one signed request; `timestamp` is in seconds, `body` overrides the serialized payload. */
export interface SignOptions {
  timestamp: number
  /** Sign these exact bytes instead of `JSON.stringify(payload)`. */
  body?: string
  /** Sign a different body than the one sent (a tampered request). */
  tamperedBody?: string
}

/** A `RequestInit` for `app.request()` with real `X-Signature-Ed25519` / `X-Signature-Timestamp` headers. */
export async function signInteraction(keys: InteractionKeys, payload: unknown, options: SignOptions): Promise<RequestInit> {
  const body = options.body ?? JSON.stringify(payload)
  const timestamp = String(Math.floor(options.timestamp))
  const message = new TextEncoder().encode(timestamp + body)
  const signature = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, keys.privateKey, message))
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-signature-ed25519': toHex(signature),
      'x-signature-timestamp': timestamp,
    },
    body: options.tamperedBody ?? body,
  }
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
