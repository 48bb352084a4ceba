import type { AppContext, View } from '../app-context.js'
import { confirmAction } from '../lib/dialog.js'
import { h, icon, ICONS, replaceChildren } from '../lib/dom.js'
import { errorText } from '../lib/format.js'
import { GatewayRequestError } from '../lib/gateway-client.js'
import type { ConfigIssue, ConfigSnapshot } from '../lib/protocol-types.js'
import { renderField, type FormModel, type SchemaNode, type UiHints } from './config-form.js'
import { hooksPanel } from './hooks-panel.js'

const STALE_HASH = /config changed since last load/i

/**
 * Config: a form generated from `config.schema` and a raw JSON5 editor over the config file. Saves go through
 * `config.set` with the `baseHash` of the last load, so an edit made elsewhere in between is refused, not lost.
 * The gateway validates and applies the file live.
 */
export function createConfigView(context: AppContext): View {
  let snapshot: ConfigSnapshot | undefined
  let schema: { schema: SchemaNode; uiHints: UiHints } | undefined
  let draft: Record<string, unknown> = {}
  let mode: 'form' | 'raw' = 'form'
  let dirty = false
  let rawRevealed = false

  const heading = h('h1', { tabindex: '-1' }, 'Config')
  const formTab = h('button', { type: 'button', role: 'tab', id: 'config-tab-form', 'aria-controls': 'config-form-panel', class: 'tab', onclick: () => setMode('form') }, 'Form')
  const rawTab = h('button', { type: 'button', role: 'tab', id: 'config-tab-raw', 'aria-controls': 'config-raw-panel', class: 'tab', onclick: () => setMode('raw') }, 'Raw JSON5')
  const reloadButton = h('button', { type: 'button', class: 'button', onclick: () => void reload() }, icon(ICONS.refresh), h('span', null, 'Reload'))
  const saveButton = h('button', { type: 'button', class: 'button primary', onclick: () => void save(), disabled: true }, 'Save')
  const meta = h('p', { class: 'muted config-meta' })
  const banner = h('div', { class: 'banner', role: 'status', hidden: true })
  const issuesBox = h('div', { class: 'issues', role: 'alert', hidden: true })
  const hooksSlot = h('div', { class: 'hooks-slot' })
  const filter = h('input', { type: 'search', class: 'input', placeholder: 'Filter sections…', 'aria-label': 'Filter config sections', oninput: () => applyFilter() })
  const sections = h('div', { class: 'config-sections' })
  const formPanel = h('div', { id: 'config-form-panel', role: 'tabpanel', 'aria-labelledby': 'config-tab-form' }, h('div', { class: 'config-filter' }, filter), sections)
  const rawArea = h('textarea', { id: 'config-raw', class: 'input mono raw-editor', spellcheck: 'false', 'aria-label': 'Raw config (JSON5)', hidden: true, oninput: () => markDirty() })
  const revealRaw = h('div', { class: 'raw-cover' }, h('p', null, 'The raw file may contain secrets (tokens, API keys).'), h('button', { type: 'button', class: 'button', onclick: () => showRaw() }, icon(ICONS.eye), h('span', null, 'Reveal raw config')))
  const rawPanel = h('div', { id: 'config-raw-panel', role: 'tabpanel', 'aria-labelledby': 'config-tab-raw', hidden: true }, h('p', { class: 'field-help' }, 'JSON5: comments and trailing commas are fine. The gateway validates the text before writing it.'), revealRaw, rawArea)
  const element = h(
    'section',
    { class: 'view page config-view' },
    h('div', { class: 'page-head' }, heading, h('div', { class: 'page-actions' }, reloadButton, saveButton)),
    meta,
    h('p', { class: 'note' }, 'Saved changes apply live; the gateway reloads its config without a restart.'),
    banner,
    issuesBox,
    hooksSlot,
    h('div', {
      class: 'tabs',
      role: 'tablist',
      'aria-label': 'Editor',
      onkeydown: (event: KeyboardEvent) => {
        if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return
        event.preventDefault()
        setMode(mode === 'form' ? 'raw' : 'form')
        ;(mode === 'form' ? formTab : rawTab).focus()
      },
    }, formTab, rawTab),
    formPanel,
    rawPanel,
  )

  const model: FormModel = {
    get: (path) => path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), draft),
    set: (path, value) => {
      setPath(draft, path, value)
      markDirty()
    },
    get hints() {
      return schema?.uiHints ?? {}
    },
  }

  function markDirty(): void {
    dirty = true
    saveButton.disabled = false
    saveButton.textContent = 'Save changes'
  }

  function setMode(next: 'form' | 'raw'): void {
    if (next === mode) return
    // Carry edits across: the form's draft becomes text, and valid raw JSON becomes the draft.
    if (next === 'raw' && dirty) rawArea.value = `${JSON.stringify(draft, null, 2)}\n`
    if (next === 'form' && dirty) {
      try {
        draft = JSON.parse(rawArea.value) as Record<string, unknown>
      } catch {
        showBanner('warn', 'The raw text is JSON5 the form cannot read; save it from the Raw tab, or reload to discard it.')
        return
      }
      renderForm()
    }
    mode = next
    renderMode()
  }

  function renderMode(): void {
    formTab.setAttribute('aria-selected', String(mode === 'form'))
    rawTab.setAttribute('aria-selected', String(mode === 'raw'))
    formTab.tabIndex = mode === 'form' ? 0 : -1
    rawTab.tabIndex = mode === 'raw' ? 0 : -1
    formPanel.hidden = mode !== 'form'
    rawPanel.hidden = mode !== 'raw'
  }

  function showRaw(): void {
    rawRevealed = true
    revealRaw.hidden = true
    rawArea.hidden = false
    rawArea.focus()
  }

  async function reload(): Promise<void> {
    if (dirty && !(await confirmAction({ title: 'Discard your changes?', body: 'Reloading replaces your unsaved edits with the file as it is now.', confirmLabel: 'Discard and reload', danger: true }))) return
    await load()
  }

  async function load(): Promise<void> {
    try {
      const [loadedSchema, loaded] = await Promise.all([
        schema ? Promise.resolve(schema) : context.client.request<{ schema: SchemaNode; uiHints: UiHints }>('config.schema', {}).catch(() => undefined),
        context.client.request<ConfigSnapshot>('config.get', {}),
      ])
      schema = loadedSchema
      snapshot = loaded
      banner.hidden = true
      draft = structuredClone(loaded.config ?? {})
      rawArea.value = loaded.raw ?? `${JSON.stringify(loaded.config ?? {}, null, 2)}\n`
      dirty = false
      saveButton.disabled = true
      saveButton.textContent = 'Save'
      meta.replaceChildren(h('span', null, 'File: '), h('code', null, loaded.path), ' · ', h('span', { class: `badge ${loaded.valid ? 'ok' : 'bad'}` }, loaded.valid ? 'valid' : 'invalid'), loaded.exists ? '' : ' · not created yet (saving creates it)')
      showIssues(loaded.valid ? [] : loaded.issues, 'The file on disk has problems:')
      hooksSlot.replaceChildren(hooksPanel(loaded.config ?? {}, window.location.origin))
      renderForm()
    } catch (failure) {
      showBanner('error', `Could not load the config: ${errorText(failure)}`)
    }
  }

  function renderForm(): void {
    if (!schema) {
      replaceChildren(sections, h('p', { class: 'empty' }, 'Schema unavailable; use the Raw tab.'))
      formTab.disabled = true
      if (mode === 'form') setMode('raw')
      return
    }
    const open = new Set([...sections.querySelectorAll<HTMLDetailsElement>('details.config-section[open]')].map((details) => details.dataset.path))
    const unusedOpen = sections.querySelector<HTMLDetailsElement>('.config-unused')?.open ?? false
    const hints = schema.uiHints
    // The gateway's own order (hints), sections the file uses first within equal order; ignored sections go last.
    const properties = Object.entries(schema.schema.properties ?? {}).sort(([left], [right]) => (hints[left]?.order ?? 50) - (hints[right]?.order ?? 50) || Number(draft[right] !== undefined) - Number(draft[left] !== undefined))
    const render = ([key, node]: [string, SchemaNode]) => {
      const field = renderField(node, [key], model)
      field.classList.add('config-section')
      if (field instanceof HTMLDetailsElement && open.has(key)) field.open = true
      return field
    }
    const used = properties.filter(([key]) => hints[key]?.advanced !== true)
    const unused = properties.filter(([key]) => hints[key]?.advanced === true)
    const unusedGroup = unused.length === 0
      ? null
      : h(
          'details',
          { class: 'config-unused', open: unusedOpen ? true : undefined },
          h('summary', null, `Kept, not used here (${unused.length} sections)`, h('span', { class: 'group-help' }, 'Upstream Clawdbot settings this gateway accepts in the file so it stays valid there, but does not act on.')),
          h('div', { class: 'config-sections' }, unused.map(render)),
        )
    replaceChildren(sections, [...used.map(render), unusedGroup])
    applyFilter()
  }

  function applyFilter(): void {
    const query = filter.value.trim().toLowerCase()
    for (const section of sections.querySelectorAll<HTMLElement>('.config-section')) {
      const path = (section as HTMLElement).dataset.path ?? ''
      ;(section as HTMLElement).hidden = query !== '' && !path.toLowerCase().includes(query) && !(section.textContent ?? '').toLowerCase().includes(query)
    }
  }

  async function save(): Promise<void> {
    if (!snapshot) return
    // The form sends the whole draft; the gateway applies only the change to the file's text, keeping its comments.
    const raw = mode === 'raw' ? rawArea.value : `${JSON.stringify(draft, null, 2)}\n`
    saveButton.disabled = true
    saveButton.textContent = 'Saving…'
    clearFieldIssues()
    // Problems from an earlier attempt no longer apply to this one.
    showIssues([], '')
    try {
      const result = await context.client.request<{ reload?: { ok: boolean; message: string } }>('config.set', { raw, baseHash: snapshot.hash })
      await load()
      showBanner(result.reload?.ok === false ? 'warn' : 'ok', savedText(result.reload))
      context.announce('Config saved.')
    } catch (failure) {
      saveButton.disabled = false
      saveButton.textContent = 'Save changes'
      const message = errorText(failure)
      if (STALE_HASH.test(message)) {
        showBanner('error', 'Not saved: the config file changed since you loaded it (edited by hand, in another tab, or by a command). Reload to get the current version, then make your change again.', true)
        return
      }
      const issues = failure instanceof GatewayRequestError ? readIssues(failure.details) : []
      if (issues.length > 0) {
        showBanner('error', 'Not saved: the config is invalid. Fix the fields marked below.')
        showIssues(issues, 'Problems:')
        if (mode === 'form') markFieldIssues(issues)
      } else {
        showBanner('error', `Not saved: ${message}`)
      }
    }
  }

  function showBanner(kind: 'ok' | 'warn' | 'error', text: string, offerReload = false): void {
    banner.className = `banner ${kind}`
    banner.setAttribute('role', kind === 'error' ? 'alert' : 'status')
    replaceChildren(banner, h('span', null, text), offerReload ? h('button', { type: 'button', class: 'button small', onclick: () => void load() }, 'Reload (discard my edits)') : null)
    banner.hidden = false
  }

  function showIssues(issues: ConfigIssue[], title: string): void {
    issuesBox.hidden = issues.length === 0
    replaceChildren(issuesBox, h('p', null, title), h('ul', null, issues.map((issue) => h('li', null, h('code', null, issue.path || '(root)'), ': ', issue.message))))
  }

  function clearFieldIssues(): void {
    for (const node of sections.querySelectorAll('.field-issue')) node.remove()
    for (const node of sections.querySelectorAll('[aria-invalid="true"]')) node.removeAttribute('aria-invalid')
    for (const node of sections.querySelectorAll('.has-issue')) node.classList.remove('has-issue')
  }

  /** Puts each issue under the deepest rendered field on its path, opening groups on the way. */
  function markFieldIssues(issues: ConfigIssue[]): void {
    let first: HTMLElement | undefined
    issues.forEach((issue, index) => {
      const segments = issue.path.split('.').filter(Boolean)
      let target: HTMLElement | undefined
      for (let depth = 1; depth <= segments.length; depth++) {
        const found = sections.querySelector<HTMLElement>(`[data-path="${CSS.escape(segments.slice(0, depth).join('.'))}"]`)
        if (!found) break
        target = found
        if (found instanceof HTMLDetailsElement && !found.open) found.open = true
      }
      if (!target) return
      const issueId = `cfg-issue-${index}`
      const note = h('p', { class: 'field-issue', id: issueId }, issue.path.split('.').length > (target.dataset.path ?? '').split('.').length ? `${issue.path}: ${issue.message}` : issue.message)
      target.classList.add('has-issue')
      if (target instanceof HTMLDetailsElement) target.querySelector('.config-group-body')?.prepend(note)
      else target.append(note)
      const control = target.querySelector<HTMLElement>('input, select, textarea')
      if (control && !(target instanceof HTMLDetailsElement)) {
        control.setAttribute('aria-invalid', 'true')
        control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') ?? ''} ${issueId}`.trim())
      }
      first ??= control ?? target
    })
    first?.focus()
  }

  renderMode()
  return {
    id: 'config',
    title: 'Config',
    element,
    activate() {
      if (!dirty) void load()
      if (!rawRevealed) {
        revealRaw.hidden = false
        rawArea.hidden = true
      }
    },
    deactivate() {},
    connected() {
      if (!dirty) void load()
    },
    focusTarget: () => heading,
  }
}

/** One sentence for a successful save: was it applied, and what changed. */
function savedText(reload: { ok: boolean; message: string } | undefined): string {
  if (reload === undefined) return 'Saved and applied.'
  if (!reload.ok) return `Saved, but not applied yet: ${reload.message}`
  if (reload.message === 'no change') return 'Saved. Nothing the gateway uses changed.'
  const applied = /^applied( live)?(?: \((.*)\))?$/.exec(reload.message)
  if (!applied) return `Saved and applied (${reload.message}).`
  return `Saved and applied${applied[1] ?? ''}${applied[2] ? ` (changed: ${applied[2]})` : ''}.`
}

function readIssues(details: unknown): ConfigIssue[] {
  const issues = isObject(details) ? details.issues : undefined
  return Array.isArray(issues) ? issues.filter((issue): issue is ConfigIssue => isObject(issue) && typeof issue.message === 'string').map((issue) => ({ path: String(issue.path ?? ''), message: issue.message })) : []
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Sets (or, for `undefined`, deletes) a nested key, creating objects on the way. */
function setPath(root: Record<string, unknown>, path: string[], value: unknown): void {
  let node = root
  for (const key of path.slice(0, -1)) {
    if (!isObject(node[key])) {
      if (value === undefined) return
      node[key] = {}
    }
    node = node[key] as Record<string, unknown>
  }
  const last = path[path.length - 1]!
  if (value === undefined) delete node[last]
  else node[last] = value
}
