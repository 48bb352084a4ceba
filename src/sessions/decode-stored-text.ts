const UTF8_DECODER = new TextDecoder()

/**
 * Turns what `getItemRaw` returned into text: the memory driver hands back the string it was given, the fs driver
 * a byte buffer, KV an ArrayBuffer. Null (a missing key) stays undefined.
 */
export function decodeStoredText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return UTF8_DECODER.decode(value)
  if (value instanceof ArrayBuffer) return UTF8_DECODER.decode(new Uint8Array(value))
  // setItem stringifies, so anything else was written by a foreign tool; JSON keeps it inspectable.
  return JSON.stringify(value)
}
