import { isPlainObject } from './config-issue.js'

/**
 * Applies a JSON merge patch (RFC 7386): objects merge key by key, `null` deletes, anything else replaces.
 * @see https://www.rfc-editor.org/rfc/rfc7386
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {}
  for (const [key, value] of Object.entries(patch)) {
    // A `__proto__` key from parsed text would reach the prototype through assignment; config has no such key.
    if (key === '__proto__') continue
    if (value === null) delete result[key]
    else result[key] = applyMergePatch(result[key], value)
  }
  return result
}
