/** Parses a request body read as bytes; `undefined` when it is not valid UTF-8 JSON (callers decide the answer). */
export function parseJsonBytes(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body))
  } catch {
    return undefined
  }
}
