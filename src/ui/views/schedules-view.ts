import type { AppContext, View } from '../app-context.js'
import { confirmAction, openDialog } from '../lib/dialog.js'
import { h, icon, ICONS, replaceChildren } from '../lib/dom.js'
import { duration, errorText, timeAgo } from '../lib/format.js'

/** A cron job as `cron.list` returns it (spec/automation.md §1.2), the fields this view reads. */
interface CronJobRow {
  id: string
  name: string
  description?: string
  enabled: boolean
  schedule: { kind: 'at'; atMs: number } | { kind: 'every'; everyMs: number } | { kind: 'cron'; expr: string; tz?: string }
  sessionTarget: 'main' | 'isolated'
  payload: { kind: 'systemEvent'; text: string } | { kind: 'agentTurn'; message: string; channel?: string; to?: string; deliver?: boolean }
  state: { nextRunAtMs?: number; runningAtMs?: number; lastRunAtMs?: number; lastStatus?: 'ok' | 'error' | 'skipped'; lastError?: string; lastDurationMs?: number }
}

interface RunEntry {
  ts: number
  status?: string
  error?: string
  summary?: string
  durationMs?: number
}

const UNITS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }

/**
 * Schedules: cron jobs with their next run and last result; pause, run now, history and delete; and a form that adds
 * a reminder at a time, every N minutes/hours/days, or on a cron expression (with its next three runs previewed).
 */
export function createSchedulesView(context: AppContext): View {
  let active = false
  let previewTimer: ReturnType<typeof setTimeout> | undefined
  const heading = h('h1', { tabindex: '-1' }, 'Schedules')
  const status = h('p', { class: 'muted', 'aria-live': 'polite' })
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true })
  const body = h('div', { class: 'schedules' })
  const refresh = h('button', { type: 'button', class: 'button', onclick: () => void load() }, icon(ICONS.refresh), h('span', null, 'Refresh'))

  // ---- the friendly form ----
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const field = (label: string, control: HTMLElement, help?: string) =>
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, help ? h('span', { class: 'field-help' }, help) : null)
  const nameInput = h('input', { class: 'input', name: 'name', required: true, maxlength: '120', placeholder: 'Stretch' })
  const messageInput = h('textarea', { class: 'input', name: 'message', required: true, rows: '2', placeholder: 'Remind me to stretch and drink some water.' })
  const kindSelect = h(
    'select',
    { class: 'select', name: 'kind', onchange: () => showKind() },
    h('option', { value: 'at' }, 'At a time'),
    h('option', { value: 'every' }, 'Every …'),
    h('option', { value: 'cron' }, 'On a cron schedule'),
  )
  const atInput = h('input', { class: 'input', type: 'datetime-local', name: 'at' })
  const everyInput = h('input', { class: 'input', type: 'number', name: 'every', min: '1', value: '30' })
  const unitSelect = h('select', { class: 'select', name: 'unit' }, Object.keys(UNITS).map((unit) => h('option', { value: unit }, unit)))
  const exprInput = h('input', { class: 'input mono', name: 'expr', placeholder: '0 8 * * 1-5', oninput: () => schedulePreview() })
  const tzInput = h('input', { class: 'input', name: 'tz', value: zone, oninput: () => schedulePreview() })
  const preview = h('ul', { class: 'muted small cron-preview', 'aria-live': 'polite' })
  const targetSelect = h(
    'select',
    { class: 'select', name: 'channel' },
    h('option', { value: 'last' }, 'Where I last talked to the assistant'),
    h('option', { value: 'discord' }, 'Discord'),
    h('option', { value: 'webchat' }, 'This Control UI (main session)'),
  )
  const toInput = h('input', { class: 'input mono', name: 'to', placeholder: 'channel:123… or user:123… (Discord)' })
  const atGroup = h('div', { class: 'field-row' }, field('When', atInput, `Your time zone: ${zone}`))
  const everyGroup = h('div', { class: 'field-row', hidden: true }, field('Every', everyInput), field('Unit', unitSelect))
  const cronGroup = h('div', { class: 'field-row', hidden: true }, field('Expression', exprInput, 'minute hour day month weekday'), field('Time zone', tzInput), h('div', null, h('span', { class: 'field-label' }, 'Next runs'), preview))
  const formError = h('p', { class: 'panel-error', role: 'alert', hidden: true })
  const form = h(
    'form',
    { class: 'card schedule-form', onsubmit: (event: Event) => void submit(event) },
    h('h2', null, 'New reminder'),
    field('Name', nameInput),
    field('What should the assistant do or say?', messageInput),
    field('Schedule', kindSelect),
    atGroup,
    everyGroup,
    cronGroup,
    h('div', { class: 'field-row' }, field('Deliver to', targetSelect), field('Recipient (optional)', toInput, 'Empty: the last recipient on that channel.')),
    formError,
    h('button', { type: 'submit', class: 'button primary' }, icon(ICONS.plus), h('span', null, 'Add reminder')),
  )
  const element = h('section', { class: 'view page' }, h('div', { class: 'page-head' }, heading, refresh), status, error, body, form)

  function showKind(): void {
    atGroup.hidden = kindSelect.value !== 'at'
    everyGroup.hidden = kindSelect.value !== 'every'
    cronGroup.hidden = kindSelect.value !== 'cron'
    if (kindSelect.value === 'cron') schedulePreview()
  }

  function schedulePreview(): void {
    clearTimeout(previewTimer)
    previewTimer = setTimeout(() => void renderPreview(), 250)
  }

  async function renderPreview(): Promise<void> {
    const expr = exprInput.value.trim()
    if (expr === '') return replaceChildren(preview, h('li', null, 'Type an expression to see when it runs.'))
    try {
      const result = await context.client.request<{ nextRuns: number[] }>('cron.preview', { schedule: { kind: 'cron', expr, tz: tzInput.value.trim() || undefined }, count: 3 })
      replaceChildren(preview, result.nextRuns.map((at) => h('li', null, formatTime(at))))
    } catch (failure) {
      replaceChildren(preview, h('li', { class: 'panel-error' }, errorText(failure)))
    }
  }

  function scheduleFromForm(): Record<string, unknown> | string {
    if (kindSelect.value === 'at') {
      const at = atInput.value ? new Date(atInput.value).getTime() : Number.NaN
      if (!Number.isFinite(at)) return 'Pick a date and time.'
      return { kind: 'at', atMs: at }
    }
    if (kindSelect.value === 'every') {
      const count = Number(everyInput.value)
      if (!(count > 0)) return 'Enter how often, e.g. 30 minutes.'
      return { kind: 'every', everyMs: Math.round(count * UNITS[unitSelect.value]!) }
    }
    if (exprInput.value.trim() === '') return 'Enter a cron expression.'
    return { kind: 'cron', expr: exprInput.value.trim(), ...(tzInput.value.trim() ? { tz: tzInput.value.trim() } : {}) }
  }

  async function submit(event: Event): Promise<void> {
    event.preventDefault()
    const schedule = scheduleFromForm()
    if (typeof schedule === 'string') return showFormError(schedule)
    const channel = targetSelect.value
    const to = toInput.value.trim()
    const job = {
      name: nameInput.value.trim(),
      enabled: true,
      ...(schedule.kind === 'at' ? { deleteAfterRun: true } : {}),
      schedule,
      sessionTarget: 'isolated',
      // "now" would also wake the main session for the run's summary: an extra model call for a plain reminder.
      wakeMode: 'next-heartbeat',
      payload: { kind: 'agentTurn', message: messageInput.value.trim(), deliver: true, channel, ...(to ? { to } : channel === 'webchat' ? { to: context.mainSessionKey() } : {}) },
    }
    try {
      await context.client.request('cron.add', job)
      formError.hidden = true
      form.reset()
      tzInput.value = zone
      showKind()
      context.announce(`Added “${job.name}”.`)
      await load()
    } catch (failure) {
      showFormError(`Error: ${errorText(failure)}`)
    }
  }

  function showFormError(message: string): void {
    formError.textContent = message
    formError.hidden = false
  }

  // ---- the list ----
  async function load(): Promise<void> {
    try {
      const [cron, list] = await Promise.all([
        context.client.request<{ enabled: boolean; jobs: number; nextWakeAtMs: number | null }>('cron.status', {}),
        context.client.request<{ jobs: CronJobRow[] }>('cron.list', { includeDisabled: true }),
      ])
      error.hidden = true
      status.textContent = cron.enabled
        ? `${cron.jobs} job${cron.jobs === 1 ? '' : 's'}${cron.nextWakeAtMs ? ` · next run ${formatTime(cron.nextWakeAtMs)}` : ''}`
        : 'The scheduler is off (cron.enabled is false or CLAWDBOT_SKIP_CRON=1): jobs are kept but do not run by themselves.'
      render(list.jobs)
    } catch (failure) {
      error.textContent = `Error: ${errorText(failure)}`
      error.hidden = false
    }
  }

  function render(jobs: CronJobRow[]): void {
    if (jobs.length === 0) return replaceChildren(body, h('p', { class: 'empty' }, 'No schedules yet. Add a reminder below, or ask the assistant: “remind me in 20 minutes to stretch”.'))
    replaceChildren(
      body,
      h(
        'table',
        { class: 'table schedules-table' },
        h('caption', { class: 'visually-hidden' }, 'Scheduled jobs, next run first'),
        h('thead', null, h('tr', null, ['Job', 'Schedule', 'Next run', 'Last run', 'Actions'].map((name) => h('th', { scope: 'col' }, name)))),
        h('tbody', null, jobs.map(renderRow)),
      ),
    )
  }

  function renderRow(job: CronJobRow): HTMLElement {
    const what = job.payload.kind === 'agentTurn' ? job.payload.message : job.payload.text
    const last = job.state.lastStatus
    return h(
      'tr',
      { 'data-job': job.id },
      h('td', { 'data-label': 'Job' }, h('div', { class: 'session-name' }, job.name, job.enabled ? null : h('span', { class: 'badge subtle' }, 'paused')), h('div', { class: 'muted small' }, what.length > 80 ? `${what.slice(0, 79)}…` : what)),
      h('td', { 'data-label': 'Schedule' }, describeSchedule(job.schedule)),
      h('td', { 'data-label': 'Next run' }, job.state.runningAtMs ? h('span', { class: 'badge' }, 'running') : job.state.nextRunAtMs ? formatTime(job.state.nextRunAtMs) : h('span', { class: 'muted' }, '—')),
      h(
        'td',
        { 'data-label': 'Last run' },
        last ? h('span', { class: `badge ${last === 'ok' ? 'ok' : last === 'error' ? 'bad' : 'subtle'}` }, last) : h('span', { class: 'muted' }, 'never'),
        job.state.lastRunAtMs ? h('div', { class: 'muted small' }, timeAgo(job.state.lastRunAtMs)) : null,
        job.state.lastError ? h('div', { class: 'panel-error small' }, job.state.lastError) : null,
      ),
      h(
        'td',
        { class: 'actions', 'data-label': 'Actions' },
        h('button', { type: 'button', class: 'button small', onclick: () => void act(() => context.client.request('cron.update', { id: job.id, patch: { enabled: !job.enabled } }), job.enabled ? `Paused “${job.name}”.` : `Resumed “${job.name}”.`) }, job.enabled ? 'Pause' : 'Resume'),
        h('button', { type: 'button', class: 'button small', onclick: () => void act(() => context.client.request('cron.run', { id: job.id, mode: 'force' }), `Ran “${job.name}”.`) }, 'Run now'),
        h('button', { type: 'button', class: 'button small', onclick: () => void history(job) }, 'History'),
        h('button', { type: 'button', class: 'button small danger', onclick: () => void remove(job) }, 'Delete'),
      ),
    )
  }

  async function history(job: CronJobRow): Promise<void> {
    let entries: RunEntry[] = []
    try {
      entries = (await context.client.request<{ entries: RunEntry[] }>('cron.runs', { id: job.id, limit: 50 })).entries
    } catch (failure) {
      error.textContent = `Error: ${errorText(failure)}`
      error.hidden = false
      return
    }
    const list = entries.length === 0
      ? h('p', { class: 'empty' }, 'No runs yet.')
      : h('ol', { class: 'run-history', reversed: true }, [...entries].reverse().map((entry) =>
          h('li', null, h('span', { class: `badge ${entry.status === 'ok' ? 'ok' : entry.status === 'error' ? 'bad' : 'subtle'}` }, entry.status ?? '?'), ` ${formatTime(entry.ts)} · ${duration(entry.durationMs)}`, entry.error ? h('div', { class: 'panel-error small' }, entry.error) : null, entry.summary ? h('div', { class: 'muted small' }, entry.summary) : null),
        ))
    await openDialog({ title: `History of “${job.name}”`, body: list, confirmLabel: 'Close' })
  }

  async function remove(job: CronJobRow): Promise<void> {
    const confirmed = await confirmAction({ title: `Delete “${job.name}”?`, body: 'The schedule is removed; its run history stays on disk.', confirmLabel: 'Delete', danger: true })
    if (confirmed) await act(() => context.client.request('cron.remove', { id: job.id }), `Deleted “${job.name}”.`)
  }

  async function act(action: () => Promise<unknown>, done: string): Promise<void> {
    try {
      await action()
      context.announce(done)
    } catch (failure) {
      error.textContent = `Error: ${errorText(failure)}`
      error.hidden = false
    }
    await load()
  }

  context.client.onEvent((event) => {
    if (event === 'cron' && active) void load()
  })

  return {
    id: 'schedules',
    title: 'Schedules',
    element,
    activate() {
      active = true
      void load()
    },
    deactivate() {
      active = false
    },
    connected: () => void load(),
    focusTarget: () => heading,
  }
}

function describeSchedule(schedule: CronJobRow['schedule']): string {
  if (schedule.kind === 'at') return `once, ${formatTime(schedule.atMs)}`
  if (schedule.kind === 'every') {
    const unit = Object.entries(UNITS).reverse().find(([, ms]) => schedule.everyMs % ms === 0)
    return unit ? `every ${schedule.everyMs / unit[1]} ${unit[0]}` : `every ${duration(schedule.everyMs)}`
  }
  return `cron ${schedule.expr}${schedule.tz ? ` (${schedule.tz})` : ''}`
}

function formatTime(at: number): string {
  return new Date(at).toLocaleString([], { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
}
