import { normalizeAgentId } from '../config/config-lookup.js'

type Loose = Record<string, unknown>

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Brings loose job input (from `cron.add`, a `cron.update` patch or the agent tool) into schema shape before
 * validation: unwraps `data`/`job`, coerces `"true"`/`"false"`, infers the schedule kind, parses absolute times,
 * migrates the legacy `provider` key, and on create fills `wakeMode` and `sessionTarget`.
 * @see spec/automation.md §1.3
 */
export function normalizeCronInput(raw: unknown, options: { applyDefaults: boolean }): unknown {
  if (!isObject(raw)) return raw
  let input: Loose = raw
  if (isObject(input.data)) input = input.data
  else if (isObject(input.job)) input = input.job
  const next: Loose = { ...input }

  if ('agentId' in next && next.agentId !== null) {
    const trimmed = typeof next.agentId === 'string' ? next.agentId.trim() : ''
    if (trimmed === '') delete next.agentId
    else next.agentId = normalizeAgentId(trimmed)
  }
  if (typeof next.enabled === 'string') {
    const lowered = next.enabled.trim().toLowerCase()
    if (lowered === 'true') next.enabled = true
    else if (lowered === 'false') next.enabled = false
  }
  if (isObject(next.schedule)) next.schedule = normalizeSchedule(next.schedule)
  if (isObject(next.payload)) next.payload = normalizePayload(next.payload)

  if (options.applyDefaults) {
    next.wakeMode ??= 'next-heartbeat'
    if (next.sessionTarget === undefined && isObject(next.payload)) {
      if (next.payload.kind === 'systemEvent') next.sessionTarget = 'main'
      else if (next.payload.kind === 'agentTurn') next.sessionTarget = 'isolated'
    }
  }
  return next
}

function normalizeSchedule(schedule: Loose): Loose {
  const next: Loose = { ...schedule }
  const atText = typeof next.atMs === 'string' ? next.atMs : typeof next.at === 'string' ? next.at : undefined
  if (atText !== undefined) {
    const parsed = parseAbsoluteTime(atText)
    if (parsed !== undefined) next.atMs = parsed
  }
  if (next.kind === undefined) {
    if (typeof next.atMs === 'number' || atText !== undefined) next.kind = 'at'
    else if (typeof next.everyMs === 'number') next.kind = 'every'
    else if (typeof next.expr === 'string') next.kind = 'cron'
  }
  delete next.at
  return next
}

function normalizePayload(payload: Loose): Loose {
  const next: Loose = { ...payload }
  if (typeof next.provider === 'string') {
    next.channel ??= next.provider
    delete next.provider
  }
  if (typeof next.channel === 'string') next.channel = next.channel.trim().toLowerCase()
  return next
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i

/**
 * Parses an absolute time: all digits are epoch ms, a bare date is midnight UTC, a date-time without a zone is UTC.
 * Relative times ("20m") are not understood here; only the CLI parses them.
 */
export function parseAbsoluteTime(text: string): number | undefined {
  const value = text.trim()
  if (/^\d+$/.test(value)) return Number(value)
  let iso = value
  if (DATE_ONLY.test(value)) iso = `${value}T00:00:00Z`
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value) && !HAS_ZONE.test(value)) iso = `${value.replace(' ', 'T')}Z`
  const parsed = Date.parse(iso)
  return Number.isNaN(parsed) ? undefined : parsed
}
