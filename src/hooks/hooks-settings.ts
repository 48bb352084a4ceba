import { normalizeHooksPath } from '../config/check-hooks-config.js'
import type { Config } from '../config/schema.js'
import type { HookMapping } from '../config/schema-hooks.js'

const DEFAULT_MAX_BODY_BYTES = 262_144

/** The live `hooks` block, resolved; undefined while hooks are off. Re-read per request, so hot reload applies. */
export interface HooksSettings {
  token: string
  basePath: string
  maxBodyBytes: number
  /** Config mappings first, then presets: the first match wins. */
  mappings: HookMapping[]
}

/** Upstream's `gmail` preset (spec/agent-api.md §6.5). */
const GMAIL_PRESET: HookMapping = {
  id: 'gmail',
  match: { path: 'gmail' },
  action: 'agent',
  name: 'Gmail',
  sessionKey: 'hook:gmail:{{messages[0].id}}',
  messageTemplate: 'New email from {{messages[0].from}}\nSubject: {{messages[0].subject}}\n{{messages[0].snippet}}\n{{messages[0].body}}',
}

/** Resolves `hooks` from the config; undefined unless enabled with a token. */
export function resolveHooksSettings(config: Pick<Config, 'hooks'>): HooksSettings | undefined {
  const hooks = config.hooks
  const token = hooks?.token?.trim()
  if (hooks?.enabled !== true || !token) return undefined
  const presets = (hooks.presets ?? []).includes('gmail') ? [GMAIL_PRESET] : []
  // Transform mappings never pass config validation; skipping them here keeps a stale config from half-running one.
  const mappings = [...(hooks.mappings ?? []), ...presets].filter((mapping) => mapping.transform === undefined)
  return { token, basePath: normalizeHooksPath(hooks.path), maxBodyBytes: hooks.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, mappings }
}

/** The first mapping for `subPath` (slashes trimmed) whose `match.source`, if any, equals `payload.source`. */
export function findHookMapping(mappings: readonly HookMapping[], subPath: string, payload: Record<string, unknown>): HookMapping | undefined {
  return mappings.find((mapping) => {
    const path = mapping.match?.path?.replace(/^\/+|\/+$/g, '')
    if (path !== undefined && path !== subPath) return false
    const source = mapping.match?.source
    return source === undefined || payload.source === source
  })
}
