import { isPlainObject } from './config-issue.js'

/** Merges like upstream `$include`: objects recursively, arrays concatenated, anything else replaced by `source`. */
export function deepMerge(target: unknown, source: unknown): unknown {
  if (Array.isArray(target) && Array.isArray(source)) return [...target, ...source]
  if (isPlainObject(target) && isPlainObject(source)) {
    const merged: Record<string, unknown> = { ...target }
    for (const [key, value] of Object.entries(source)) {
      merged[key] = key in merged ? deepMerge(merged[key], value) : value
    }
    return merged
  }
  return source
}
