/** Largest interaction body we read; real payloads are a few kilobytes (resolved messages included). */
export const MAX_INTERACTION_BODY_BYTES = 1024 * 1024

/**
 * Reads a request body as bytes, stopping as soon as it passes `limit`, so an oversized upload costs us at most
 * `limit` bytes of memory. Returns `undefined` when the body is too large.
 */
export async function readLimitedBody(request: Request, limit = MAX_INTERACTION_BODY_BYTES): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (Number.isFinite(declared) && declared > limit) return undefined
  if (request.body === null) return new Uint8Array()
  const reader = request.body.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      return undefined
    }
    parts.push(value)
  }
  const body = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    body.set(part, offset)
    offset += part.byteLength
  }
  return body
}
