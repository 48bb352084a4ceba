import { h } from '../lib/dom.js'
import { toolDisplay } from '../../tools/tool-display.js'

/** What a tool card shows: the call, and its result once there is one. */
export interface ToolCardData {
  name: string
  args: unknown
  output?: string
  isError?: boolean
  running?: boolean
  durationMs?: number
}

// Upstream's UI cuts card output at 120 000 characters with this note.
const MAX_OUTPUT = 120_000

/**
 * A compact, expandable card for one tool call: icon, title and detail line (query, URL, path), duration or a
 * running marker, error state; the output (pretty-printed when it is JSON) opens on click.
 */
export function renderToolCard(data: ToolCardData): HTMLElement {
  const display = toolDisplay(data.name, data.args)
  const status = data.running ? 'running…' : data.isError ? 'failed' : data.durationMs !== undefined ? formatDuration(data.durationMs) : data.output === undefined ? 'no result' : 'done'
  const output = data.output === undefined ? JSON.stringify(data.args ?? {}, null, 2) : prettyOutput(data.output)
  return h(
    'details',
    { class: `tool-card${data.isError ? ' error' : ''}${data.running ? ' running' : ''}`, 'data-tool': data.name },
    h(
      'summary',
      null,
      h('span', { class: 'tool-icon', 'aria-hidden': 'true' }, display.emoji),
      h('span', { class: 'tool-title' }, display.title),
      display.detail ? h('span', { class: 'tool-detail' }, display.detail) : null,
      h('span', { class: 'tool-status' }, status),
    ),
    h('pre', { tabindex: '0' }, h('code', null, output)),
  )
}

function prettyOutput(text: string): string {
  let shown = text
  const trimmed = text.trim()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      shown = JSON.stringify(JSON.parse(trimmed), null, 2)
    } catch {
      // Not JSON after all; shown as it is.
    }
  }
  return shown.length > MAX_OUTPUT ? `${shown.slice(0, MAX_OUTPUT)}\n… truncated (${shown.length} chars, showing first ${MAX_OUTPUT}).` : shown
}

function formatDuration(milliseconds: number): string {
  return milliseconds < 1_000 ? `${Math.max(0, Math.round(milliseconds))} ms` : `${(milliseconds / 1_000).toFixed(1)} s`
}
