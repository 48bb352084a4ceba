import type { AppContext, View } from '../app-context.js'
import { confirmAction, openDialog } from '../lib/dialog.js'
import { h, icon, ICONS, replaceChildren } from '../lib/dom.js'
import { compactNumber, errorText, timeAgo } from '../lib/format.js'
import type { ModelInfo, SessionRow, SessionsList } from '../lib/protocol-types.js'
import { sessionLabel } from './chat-view.js'

/** Sessions: every conversation with its channel, label, model, last activity and tokens; rename, model, reset, delete. */
export function createSessionsView(context: AppContext): View {
  let list: SessionsList | undefined
  let models: ModelInfo[] = []
  const heading = h('h1', { tabindex: '-1' }, 'Sessions')
  const status = h('p', { class: 'muted', 'aria-live': 'polite' })
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true })
  const body = h('div', { class: 'sessions' })
  const refresh = h('button', { type: 'button', class: 'button', onclick: () => void load() }, icon(ICONS.refresh), h('span', null, 'Refresh'))
  const element = h('section', { class: 'view page' }, h('div', { class: 'page-head' }, heading, refresh), status, error, body)

  async function load(): Promise<void> {
    try {
      const [sessions, modelList] = await Promise.all([
        context.client.request<SessionsList>('sessions.list', { includeGlobal: true, includeUnknown: false, limit: 500 }),
        context.client.request<{ models: ModelInfo[] }>('models.list', {}).catch(() => ({ models: [] })),
      ])
      list = sessions
      models = modelList.models ?? []
      error.hidden = true
      render()
    } catch (failure) {
      error.textContent = `Could not load sessions: ${errorText(failure)}`
      error.hidden = false
    }
  }

  function render(): void {
    if (!list) return
    const defaultModel = `${list.defaults.modelProvider}/${list.defaults.model}`
    status.textContent = `${list.count} session${list.count === 1 ? '' : 's'} · default model ${defaultModel}`
    if (list.sessions.length === 0) {
      replaceChildren(body, h('p', { class: 'empty' }, 'No sessions yet. Start a chat to create one.'))
      return
    }
    const mainKey = context.mainSessionKey()
    replaceChildren(
      body,
      h(
        'table',
        { class: 'table sessions-table' },
        h('caption', { class: 'visually-hidden' }, 'Sessions, newest first'),
        h('thead', null, h('tr', null, ['Session', 'Channel', 'Model', 'Updated', 'Tokens', 'Actions'].map((name) => h('th', { scope: 'col' }, name)))),
        h('tbody', null, list.sessions.map((row) => renderRow(row, mainKey, defaultModel))),
      ),
    )
  }

  function renderRow(row: SessionRow, mainKey: string, defaultModel: string): HTMLElement {
    const name = sessionLabel(row, mainKey)
    const isMain = row.key === mainKey
    const window = list?.defaults.contextTokens
    const tokens = row.totalTokens === null
      ? h('span', { class: 'muted' }, 'n/a')
      : [h('div', null, `${compactNumber(row.totalTokens)} total`), row.contextTokens !== null ? h('div', { class: 'muted small' }, `context ${compactNumber(row.contextTokens)}${window ? ` of ${compactNumber(window)}` : ''}`) : null]
    return h(
      'tr',
      { 'data-key': row.key },
      h('td', { 'data-label': 'Session' }, h('div', { class: 'session-name' }, name, isMain ? h('span', { class: 'badge' }, 'main') : null), h('div', { class: 'session-key mono' }, row.key)),
      h('td', { 'data-label': 'Channel' }, h('span', { class: 'badge subtle' }, row.channel ?? channelFromKey(row.key)), row.kind !== 'direct' ? h('span', { class: 'badge subtle' }, row.kind) : null),
      h('td', { 'data-label': 'Model', class: 'mono' }, row.model ?? h('span', { class: 'muted' }, `${defaultModel} (default)`)),
      h('td', { 'data-label': 'Updated' }, row.updatedAt ? h('time', { datetime: new Date(row.updatedAt).toISOString(), title: new Date(row.updatedAt).toLocaleString() }, timeAgo(row.updatedAt)) : 'never'),
      h('td', { 'data-label': 'Tokens' }, tokens),
      h(
        'td',
        { class: 'actions', 'data-label': 'Actions' },
        h('button', { type: 'button', class: 'button small', onclick: () => openInChat(row.key), 'aria-label': `Open ${name} in chat` }, 'Open'),
        h('button', { type: 'button', class: 'button small', onclick: () => void rename(row, name), 'aria-label': `Rename ${name}` }, 'Rename'),
        h('button', { type: 'button', class: 'button small', onclick: () => void changeModel(row, name, defaultModel), 'aria-label': `Change model of ${name}` }, 'Model'),
        h('button', {
          type: 'button',
          class: 'button small',
          'aria-pressed': row.verboseLevel === 'on' ? 'true' : 'false',
          title: 'Verbose: tool summary lines in channel replies',
          onclick: () => void toggleVerbose(row, name),
          'aria-label': `Verbose tool lines for ${name}`,
        }, row.verboseLevel === 'on' ? 'Verbose on' : 'Verbose off'),
        h('button', { type: 'button', class: 'button small', onclick: () => void reset(row, name), 'aria-label': `Reset ${name}` }, 'Reset'),
        h('button', {
          type: 'button',
          class: 'button small danger',
          disabled: isMain,
          title: isMain ? 'The main session cannot be deleted; reset it instead.' : undefined,
          onclick: () => void remove(row, name),
          'aria-label': isMain ? `Delete ${name} (not possible for the main session)` : `Delete ${name}`,
        }, 'Delete'),
      ),
    )
  }

  function openInChat(key: string): void {
    context.setSessionKey(key)
    context.navigate('chat')
  }

  async function toggleVerbose(row: SessionRow, name: string): Promise<void> {
    const on = row.verboseLevel !== 'on'
    await act(() => context.client.request('sessions.patch', { key: row.key, verboseLevel: on ? 'on' : null }), `Verbose ${on ? 'on' : 'off'} for ${name}.`)
  }

  async function rename(row: SessionRow, name: string): Promise<void> {
    const field = h('input', { name: 'label', class: 'input', value: row.label ?? '', maxlength: '120', placeholder: 'e.g. Trip planning', id: 'rename-label' })
    const values = await openDialog({
      title: `Rename ${name}`,
      fields: [h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Label'), field, h('span', { class: 'field-help' }, 'Leave empty to remove the label.'))],
      confirmLabel: 'Save',
    })
    if (!values) return
    const label = String(values.get('label') ?? '').trim()
    await act(() => context.client.request('sessions.patch', { key: row.key, label: label === '' ? null : label }), label ? `Renamed to ${label}.` : 'Label removed.')
  }

  async function changeModel(row: SessionRow, name: string, defaultModel: string): Promise<void> {
    const refs = models.map((model) => `${model.provider}/${model.id}`)
    if (row.model && !refs.includes(row.model)) refs.unshift(row.model)
    const select = h(
      'select',
      { name: 'model', class: 'select', id: 'session-model' },
      h('option', { value: '', selected: !row.model }, `Default (${defaultModel})`),
      refs.map((ref) => h('option', { value: ref, selected: ref === row.model }, ref)),
    )
    const values = await openDialog({
      title: `Model for ${name}`,
      fields: [h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Model'), select, h('span', { class: 'field-help' }, 'Models come from the primary, fallbacks and allowlist in the config.'))],
      confirmLabel: 'Save',
    })
    if (!values) return
    const model = String(values.get('model') ?? '')
    await act(() => context.client.request('sessions.patch', { key: row.key, model: model === '' ? null : model }), `Model set to ${model || 'the default'}.`)
  }

  async function reset(row: SessionRow, name: string): Promise<void> {
    const confirmed = await confirmAction({ title: `Reset ${name}?`, body: 'The conversation starts over with an empty history and zero token usage. The session keeps its key and label.', confirmLabel: 'Reset session', danger: true })
    if (confirmed) await act(() => context.client.request('sessions.reset', { key: row.key }), `${name} was reset.`)
  }

  async function remove(row: SessionRow, name: string): Promise<void> {
    const confirmed = await confirmAction({ title: `Delete ${name}?`, body: h('p', null, 'The session and its transcript are deleted. This cannot be undone.', h('br'), h('code', null, row.key)), confirmLabel: 'Delete session', danger: true })
    if (!confirmed) return
    await act(() => context.client.request('sessions.delete', { key: row.key, deleteTranscript: true }), `${name} was deleted.`)
    if (context.sessionKey() === row.key) context.setSessionKey(context.mainSessionKey())
  }

  async function act(action: () => Promise<unknown>, done: string): Promise<void> {
    let failure: unknown
    try {
      await action()
    } catch (caught) {
      failure = caught ?? new Error('request failed')
    }
    await load()
    if (failure === undefined) context.announce(done)
    else {
      error.textContent = errorText(failure)
      error.hidden = false
    }
  }

  return {
    id: 'sessions',
    title: 'Sessions',
    element,
    activate: () => void load(),
    deactivate() {},
    connected: () => void load(),
    focusTarget: () => heading,
  }
}

function channelFromKey(key: string): string {
  const parts = key.split(':')
  return parts.length > 3 ? parts[2]! : 'webchat'
}
