import JSON5 from 'json5'

/** Result of parsing config text; the error message matches upstream's wording. */
export type ParseJson5Result = { ok: true; value: unknown } | { ok: false; message: string }

/** Parses JSON5 config text (comments, trailing commas, unquoted keys) without throwing. */
export function parseJson5(text: string): ParseJson5Result {
  try {
    return { ok: true, value: JSON5.parse(text) }
  } catch (error) {
    return { ok: false, message: `JSON5 parse failed: ${String(error)}` }
  }
}
