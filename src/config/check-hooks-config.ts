import { childPath, type ConfigIssue } from './config-issue.js'
import type { Config } from './schema.js'

const TRANSFORM_REFUSAL =
  'hook transforms load and run JavaScript, which this gateway refuses; remove "transform" and shape the request with messageTemplate/textTemplate ({{payload.field}}, {{headers.x}}, {{query.k}})'

/**
 * Cross-field rules of `hooks` (spec/agent-api.md §6.1): a token when enabled, one that differs from the gateway
 * token (a leaked webhook URL must not open the control socket), a path other than `/`, and no code-loading
 * transforms. The gateway token from the environment is compared again at request time (hooks-routes.ts).
 */
export function checkHooksConfig(config: Config): ConfigIssue[] {
  const hooks = config.hooks
  if (hooks === undefined) return []
  const issues: ConfigIssue[] = []
  const token = hooks.token?.trim()
  if (hooks.enabled === true && !token) issues.push({ path: 'hooks.token', message: 'hooks.enabled requires hooks.token' })
  const gatewaySecrets = [config.gateway?.auth?.token, config.gateway?.auth?.password].filter((secret) => secret !== undefined && secret !== '')
  if (token && gatewaySecrets.includes(token)) {
    issues.push({ path: 'hooks.token', message: 'hooks.token must differ from the gateway token/password; generate one with `openssl rand -hex 32`' })
  }
  if (hooks.path !== undefined && normalizeHooksPath(hooks.path) === '/') issues.push({ path: 'hooks.path', message: "hooks.path may not be '/'" })
  if (hooks.transformsDir !== undefined) issues.push({ path: 'hooks.transformsDir', message: TRANSFORM_REFUSAL })
  hooks.mappings?.forEach((mapping, index) => {
    if (mapping.transform !== undefined) issues.push({ path: childPath(`hooks.mappings.${index}`, 'transform'), message: TRANSFORM_REFUSAL })
  })
  return issues
}

/** Upstream's normalisation: a leading `/`, no trailing slashes, `/hooks` when unset. */
export function normalizeHooksPath(path: string | undefined): string {
  const trimmed = (path ?? '').trim()
  if (trimmed === '') return '/hooks'
  const withSlash = trimmed.startsWith('/') ? trimmed : `/${trimmed}`
  return withSlash.replace(/\/+$/, '') || '/'
}
