import type { z } from 'zod'

/** One config problem: a dot-joined path ("" for the root) and a message that never contains secret values. */
export interface ConfigIssue {
  path: string
  message: string
}

/** Turns zod issues into config issues, keeping zod's own message text (upstream prints the same). */
export function toConfigIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((segment) => String(segment)).join('.'),
    message: issue.message,
  }))
}

/** Dot-joins a parent path and a key, treating "" as the root. */
export function childPath(parent: string, key: string | number): string {
  return parent === '' ? String(key) : `${parent}.${key}`
}

/** Whether a value is a plain JSON object (not an array or null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
