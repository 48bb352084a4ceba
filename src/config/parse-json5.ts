import JSON5 from 'json5'

/** Result of parsing config text; the error message matches upstream's wording. */
export type ParseJson5Result = { ok: true; value: unknown } | { ok: false; message: string }

/** Config text past this is refused before parsing; the Node runtime refuses config files past the same size. */
export const MAX_CONFIG_TEXT_BYTES = 2 * 1024 * 1024

/** Objects and arrays nested deeper than this are refused: real configs stay under ten, and every later step recurses. */
export const MAX_CONFIG_DEPTH = 64

/** Parses JSON5 config text (comments, trailing commas, unquoted keys) without throwing. */
export function parseJson5(text: string): ParseJson5Result {
  if (text.length > MAX_CONFIG_TEXT_BYTES || new TextEncoder().encode(text).byteLength > MAX_CONFIG_TEXT_BYTES) {
    return { ok: false, message: `config text is larger than ${MAX_CONFIG_TEXT_BYTES} bytes; split it with $include or trim it` }
  }
  let value: unknown
  try {
    // Plain JSON (what the Config form sends) takes the native parser: JSON5's is ~100x slower per character, and
    // a 2 MiB edit would otherwise hold the event loop for about a second.
    value = parsePlainJson(text) ?? JSON5.parse(text)
  } catch (error) {
    return { ok: false, message: `JSON5 parse failed: ${String(error)}` }
  }
  if (depthExceeds(value, MAX_CONFIG_DEPTH)) {
    return { ok: false, message: `config nests objects or arrays deeper than ${MAX_CONFIG_DEPTH} levels; flatten it` }
  }
  return { ok: true, value }
}

// Iterative, so the check itself cannot overflow the stack it protects.
function depthExceeds(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]]
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!
    if (value === null || typeof value !== 'object') continue
    if (depth > limit) return true
    for (const child of Object.values(value)) stack.push([child, depth + 1])
  }
  return false
}

function parsePlainJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
