/**
 * Parses the streamed JSON of a tool call's arguments. Empty text is `{}` (a call without parameters); anything
 * that is not a JSON object comes back as `{}` with `invalid` set, so the call still gets a result (validation
 * names what is missing) instead of breaking the run.
 */
export function parseToolArguments(text: string): { arguments: Record<string, unknown>; invalid: boolean } {
  if (text.trim() === '') return { arguments: {}, invalid: false }
  try {
    const value: unknown = JSON.parse(text)
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { arguments: value as Record<string, unknown>, invalid: false }
  } catch {
    // Falls through: a model that writes broken JSON gets a validation error it can act on.
  }
  return { arguments: {}, invalid: true }
}
