import type { AppContext, View } from '../app-context.js'
import { h } from '../lib/dom.js'
import { errorText } from '../lib/format.js'
import { levelRank, parseLogLine, type LogEntry } from '../lib/log-line.js'
import type { LogsTail } from '../lib/protocol-types.js'

const POLL_MS = 2000
const MAX_LINES = 2000

/** Logs: a live tail of the gateway log (`logs.tail` with a cursor, every 2 s while shown), level filter and search. */
export function createLogsView(context: AppContext): View {
  let entries: LogEntry[] = []
  let cursor: number | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let active = false
  let paused = false

  const heading = h('h1', { tabindex: '-1' }, 'Logs')
  const level = h(
    'select',
    { id: 'log-level', class: 'select', onchange: () => render() },
    [['trace', 'All levels'], ['debug', 'Debug and up'], ['info', 'Info and up'], ['warn', 'Warnings and errors'], ['error', 'Errors only']].map(([value, label]) => h('option', { value, selected: value === 'info' }, label)),
  )
  const search = h('input', { id: 'log-search', type: 'search', class: 'input', placeholder: 'Search logs…', oninput: () => render() })
  const follow = h('input', { id: 'log-follow', type: 'checkbox', checked: true })
  const pauseButton = h('button', { type: 'button', class: 'button', 'aria-pressed': 'false', onclick: () => togglePause() }, 'Pause')
  const status = h('p', { class: 'muted', 'aria-live': 'polite' })
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true })
  const list = h('ol', { class: 'log-list', 'aria-label': 'Log lines', tabindex: '0' })
  const element = h(
    'section',
    { class: 'view page logs-view' },
    h('div', { class: 'page-head' }, heading),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { class: 'inline-field' }, h('span', { class: 'visually-hidden' }, 'Level'), level),
      h('label', { class: 'inline-field grow' }, h('span', { class: 'visually-hidden' }, 'Search'), search),
      h('label', { class: 'checkbox' }, follow, h('span', null, 'Follow')),
      pauseButton,
    ),
    status,
    error,
    list,
  )
  level.setAttribute('aria-label', 'Minimum level')
  search.setAttribute('aria-label', 'Search logs')

  function togglePause(): void {
    paused = !paused
    pauseButton.setAttribute('aria-pressed', String(paused))
    pauseButton.textContent = paused ? 'Resume' : 'Pause'
    if (!paused) void poll()
  }

  async function poll(): Promise<void> {
    clearTimeout(timer)
    if (!active || paused || context.client.state.kind !== 'connected') return
    try {
      const result = await context.client.request<LogsTail>('logs.tail', { ...(cursor === undefined ? {} : { cursor }), limit: 500, maxBytes: 250_000 })
      if (result.reset) entries = []
      cursor = result.cursor
      if (result.lines.length > 0) {
        entries.push(...result.lines.map(parseLogLine))
        if (entries.length > MAX_LINES) entries = entries.slice(entries.length - MAX_LINES)
        render()
      } else if (list.childElementCount === 0) render()
      error.hidden = true
    } catch (failure) {
      error.textContent = `Could not read the logs: ${errorText(failure)}`
      error.hidden = false
    }
    if (active && !paused) timer = setTimeout(() => void poll(), POLL_MS)
  }

  function render(): void {
    const minimum = levelRank(level.value as LogEntry['level'])
    const query = search.value.trim().toLowerCase()
    const shown = entries.filter((entry) => levelRank(entry.level) >= minimum && (!query || entry.raw.toLowerCase().includes(query) || entry.message.toLowerCase().includes(query)))
    list.replaceChildren(
      ...shown.map((entry) =>
        h(
          'li',
          { class: `log-line level-${entry.level}` },
          h('time', { class: 'log-time' }, entry.time ? entry.time.slice(11, 19) : ''),
          h('span', { class: 'log-level' }, entry.level === 'unknown' ? '' : entry.level.toUpperCase()),
          h('span', { class: 'log-subsystem' }, entry.subsystem ?? ''),
          h('span', { class: 'log-message' }, entry.message),
        ),
      ),
    )
    if (shown.length === 0) list.append(h('li', { class: 'log-empty' }, entries.length === 0 ? 'No log lines yet.' : 'No lines match the filter.'))
    status.textContent = `${shown.length} of ${entries.length} lines${paused ? ' · paused' : ' · live'}`
    if (follow.checked) list.scrollTop = list.scrollHeight
  }

  return {
    id: 'logs',
    title: 'Logs',
    element,
    activate() {
      active = true
      void poll()
    },
    deactivate() {
      active = false
      clearTimeout(timer)
    },
    connected() {
      void poll()
    },
    focusTarget: () => heading,
  }
}
