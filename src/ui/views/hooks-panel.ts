import { copyButton } from '../lib/dialog.js'
import { h } from '../lib/dom.js'

interface HooksConfig {
  enabled?: boolean
  token?: string
  path?: string
  mappings?: { id?: string; match?: { path?: string }; action?: string }[]
  presets?: string[]
}

/**
 * The Config view's Webhooks card: the hook URLs of this gateway with copy buttons and a curl example. The token
 * is never shown; the example reads it from `$HOOK_TOKEN`. Hooks are served at the origin's root, whatever
 * base path the Control UI itself lives under.
 */
export function hooksPanel(config: Record<string, unknown>, origin: string): HTMLElement {
  const hooks = (config.hooks ?? {}) as HooksConfig
  const card = h('div', { class: 'card hooks-card', id: 'hooks-card' }, h('div', { class: 'card-head' }, h('h2', null, 'Webhooks')))
  if (hooks.enabled !== true || !hooks.token) {
    card.append(h('p', { class: 'field-help' }, 'Hooks are off. Set hooks.enabled to true and hooks.token to a new random secret (not the gateway token) below, then save.'))
    return card
  }
  const base = `${origin}${normalizePath(hooks.path)}`
  const urls: [string, string][] = [
    ['Wake (queue a note for the main session)', `${base}/wake`],
    ['Agent (run a turn, reply to a channel)', `${base}/agent`],
    ...(hooks.mappings ?? []).flatMap((mapping, index): [string, string][] => {
      const path = mapping.match?.path?.replace(/^\/+|\/+$/g, '')
      return path ? [[`Mapping ${mapping.id ?? index + 1} (${mapping.action ?? 'agent'})`, `${base}/${path}`]] : []
    }),
    ...((hooks.presets ?? []).includes('gmail') ? [['Gmail preset', `${base}/gmail`] as [string, string]] : []),
  ]
  for (const [label, url] of urls) {
    card.append(h('p', { class: 'field-label' }, label), h('div', { class: 'copy-row' }, h('code', { class: 'copy-value hook-url' }, url), copyButton(() => url)))
  }
  const curl = `curl -X POST ${base}/agent \\\n  -H "Authorization: Bearer $HOOK_TOKEN" \\\n  -H "Content-Type: application/json" \\\n  -d '{"message":"Summarise today in one line","channel":"discord","to":"channel:<id>"}'`
  card.append(
    h('p', { class: 'field-label' }, 'Try it (set HOOK_TOKEN to hooks.token first)'),
    h('div', { class: 'copy-row' }, h('pre', { class: 'copy-value mono', id: 'hooks-curl' }, curl), copyButton(() => curl, 'Copy')),
  )
  return card
}

function normalizePath(path: string | undefined): string {
  const trimmed = (path ?? '').trim()
  if (trimmed === '') return '/hooks'
  return (trimmed.startsWith('/') ? trimmed : `/${trimmed}`).replace(/\/+$/, '')
}
