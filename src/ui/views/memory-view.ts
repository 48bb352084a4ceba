import type { AppContext, View } from '../app-context.js'
import { h } from '../lib/dom.js'
import { errorText } from '../lib/format.js'
import { renderMarkdown } from '../markdown/render-markdown.js'

interface MemoryFiles {
  agentId: string
  workspace: string
  available: boolean
  files: { path: string; chars: number; content: string; truncated: boolean }[]
}

/** Memory: the agent's notes (`MEMORY.md`, `memory/*.md`) as the model wrote them, read-only, newest log first. */
export function createMemoryView(context: AppContext): View {
  const heading = h('h1', { tabindex: '-1' }, 'Memory')
  const status = h('p', { class: 'muted', 'aria-live': 'polite' })
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true })
  const list = h('div', { class: 'memory-list' })
  const refresh = h('button', { type: 'button', class: 'button', onclick: () => void load() }, 'Refresh')
  const element = h('section', { class: 'view page memory-view' }, h('div', { class: 'page-head' }, heading, refresh), status, error, list)

  async function load(): Promise<void> {
    error.hidden = true
    try {
      const result = await context.client.request<MemoryFiles>('memory.files', {})
      status.textContent = !result.available
        ? 'This gateway has no workspace storage, so the assistant has no memory files.'
        : result.files.length === 0
          ? `No memory files yet in ${result.workspace}. They appear when the assistant writes MEMORY.md or memory/YYYY-MM-DD.md.`
          : `${result.files.length} file${result.files.length === 1 ? '' : 's'} in ${result.workspace} (agent ${result.agentId}).`
      list.replaceChildren(
        ...result.files.map((file, index) =>
          h(
            'details',
            { class: 'memory-file', open: index < 3 ? true : null },
            h('summary', null, h('span', { class: 'memory-path' }, file.path), h('span', { class: 'muted' }, ` · ${file.chars.toLocaleString()} chars${file.truncated ? ' (shown in part)' : ''}`)),
            h('div', { class: 'markdown' }, renderMarkdown(file.content)),
          ),
        ),
      )
    } catch (failure) {
      error.textContent = `Could not load memory: ${errorText(failure)}`
      error.hidden = false
    }
  }

  return {
    id: 'memory',
    title: 'Memory',
    element,
    activate() {
      if (context.client.state.kind === 'connected') void load()
    },
    deactivate() {},
    connected() {
      if (!element.hidden) void load()
    },
    focusTarget: () => heading,
  }
}
