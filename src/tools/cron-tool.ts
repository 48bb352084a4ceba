import { jsonResult, type AgentTool, type ToolRunContext, type ToolSource } from './agent-tool.js'
import { readNumber, readString } from './tool-services.js'

/**
 * What the `cron` tool needs from the gateway, as a small interface so `tools/` does not depend on the automation
 * code (app.ts wires the cron service in): the local `cron.*`/`wake` methods, a session's recent messages and the
 * route its last message came from.
 */
export interface CronAccess {
  /** Calls `cron.status|list|add|update|remove|run|runs` or `wake` in-process; throws with the gateway's message. */
  call(method: string, params: Record<string, unknown>): Promise<unknown>
  /** Recent user/assistant texts of a session, oldest first. */
  recentMessages(agentId: string, sessionKey: string, limit: number): Promise<{ role: 'user' | 'assistant'; text: string }[]>
  /** Where replies in this session go: its delivery context (`{channel, to, accountId?, threadId?}`). */
  route(agentId: string, sessionKey: string): Promise<{ channel: string; to: string; accountId?: string; threadId?: string } | undefined>
}

const ACTIONS = ['status', 'list', 'add', 'update', 'remove', 'run', 'runs', 'wake'] as const
const RELATIVE = /^\+?(\d+(?:\.\d+)?)\s*(s|m|h|d)$/i
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const CONTEXT_LINE_CHARS = 220
const CONTEXT_TOTAL_CHARS = 700
const CONTEXT_MARKER = '\n\nRecent context:\n'

const DESCRIPTION = [
  'Manage scheduled jobs and reminders (cron). Actions: status, list, add, update, remove, run, runs, wake.',
  'For a reminder, add a job with schedule {kind:"at", atMs:<epoch ms>} (or at:"20m" relative to now),',
  'payload {kind:"agentTurn", message:"<what to tell the user>"}; its reply is delivered to this conversation.',
  'Repeating: {kind:"every", everyMs} or {kind:"cron", expr:"0 8 * * 1-5", tz:"Europe/Berlin"}.',
  'A payload {kind:"systemEvent", text} instead leaves a note for the main session.',
].join(' ')

/**
 * The `cron` agent tool with upstream's parameters and texts (spec/agent-tools.md §3.6). Edge rules: `gatewayUrl`
 * and `gatewayToken` are ignored (the local service is called directly; they would be an SSRF and credential-leak
 * vector), `run` always forces the job, and a reminder (`agentTurn` without a recipient) is delivered to the
 * conversation it was asked from.
 */
export function createCronToolSource(access: CronAccess, now: () => number): ToolSource {
  return { id: 'cron', list: (run) => [createCronTool(access, now, run)] }
}

/** The tool for one run; exported for tests that call it without a model. */
export function createCronTool(access: CronAccess, now: () => number, run: Pick<ToolRunContext, 'agentId' | 'sessionKey'>): AgentTool {
  return {
    name: 'cron',
    label: 'Cron',
    description: DESCRIPTION,
    parameters: {
      type: 'object',
      properties: {
        action: { type: 'string', enum: [...ACTIONS] },
        includeDisabled: { type: 'boolean' },
        job: { type: 'object', additionalProperties: true },
        jobId: { type: 'string' },
        id: { type: 'string' },
        patch: { type: 'object', additionalProperties: true },
        text: { type: 'string' },
        mode: { type: 'string', enum: ['now', 'next-heartbeat'] },
        contextMessages: { type: 'number', minimum: 0, maximum: 10 },
        gatewayUrl: { type: 'string' },
        gatewayToken: { type: 'string' },
        timeoutMs: { type: 'number' },
      },
      required: ['action'],
    },
    async execute(args) {
      const action = readString(args, 'action', true)
      const jobId = () => {
        const id = readString(args, 'jobId') ?? readString(args, 'id')
        if (!id) throw new Error('jobId required (id accepted for backward compatibility)')
        return id
      }
      switch (action) {
        case 'status':
          return jsonResult(await access.call('cron.status', {}))
        case 'list':
          return jsonResult(await access.call('cron.list', { includeDisabled: args.includeDisabled === true }))
        case 'add': {
          if (typeof args.job !== 'object' || args.job === null || Array.isArray(args.job)) throw new Error('job required')
          const job = await prepareJob(access, now, run, args.job as Record<string, unknown>, readNumber(args, 'contextMessages', true) ?? 0)
          return jsonResult(await access.call('cron.add', job))
        }
        case 'update': {
          const id = jobId()
          if (typeof args.patch !== 'object' || args.patch === null || Array.isArray(args.patch)) throw new Error('patch required')
          const patch = { ...(args.patch as Record<string, unknown>) }
          if (isRecord(patch.schedule)) patch.schedule = resolveRelativeAt(patch.schedule, now())
          return jsonResult(await access.call('cron.update', { id, patch }))
        }
        case 'remove':
          return jsonResult(await access.call('cron.remove', { id: jobId() }))
        case 'run':
          // DEVIATION (spec SHOULD): upstream sends no mode, so a job that is not due answers "not-due".
          return jsonResult(await access.call('cron.run', { id: jobId(), mode: 'force' }))
        case 'runs':
          return jsonResult(await access.call('cron.runs', { id: jobId() }))
        case 'wake': {
          const text = readString(args, 'text')
          if (!text) throw new Error('text required')
          return jsonResult(await access.call('wake', { mode: args.mode === 'now' ? 'now' : 'next-heartbeat', text }))
        }
        default:
          throw new Error(`Unknown action: ${action}`)
      }
    },
  }
}

async function prepareJob(access: CronAccess, now: () => number, run: Pick<ToolRunContext, 'agentId' | 'sessionKey'>, input: Record<string, unknown>, contextMessages: number): Promise<Record<string, unknown>> {
  // Wrappers are unwrapped here too, so the defaults below land on the job itself.
  const source = isRecord(input.data) ? input.data : isRecord(input.job) ? input.job : input
  const job: Record<string, unknown> = { ...source }
  if (job.agentId === undefined) job.agentId = run.agentId
  if (isRecord(job.schedule)) job.schedule = resolveRelativeAt(job.schedule, now())
  const payload = isRecord(job.payload) ? { ...job.payload } : undefined
  if (payload?.kind === 'agentTurn' && payload.deliver !== false && typeof payload.to !== 'string') {
    const route = await access.route(run.agentId, run.sessionKey)
    if (route && (payload.channel === undefined || payload.channel === 'last' || payload.channel === route.channel)) {
      Object.assign(payload, { deliver: true, channel: route.channel, to: route.to })
    }
  }
  if (payload?.kind === 'systemEvent' && typeof payload.text === 'string' && contextMessages > 0) {
    payload.text = withRecentContext(payload.text, await access.recentMessages(run.agentId, run.sessionKey, Math.min(10, contextMessages)))
  }
  if (payload) job.payload = payload
  return job
}

// Models are poor at epoch arithmetic: `at: "20m"` (or "+2h") means that long from now.
function resolveRelativeAt(schedule: Record<string, unknown>, now: number): Record<string, unknown> {
  for (const key of ['at', 'atMs'] as const) {
    const value = schedule[key]
    const match = typeof value === 'string' ? RELATIVE.exec(value.trim()) : null
    if (!match) continue
    const { [key]: _removed, ...rest } = schedule
    return { ...rest, kind: rest.kind ?? 'at', atMs: now + Math.round(Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]!) }
  }
  return schedule
}

function withRecentContext(text: string, messages: { role: 'user' | 'assistant'; text: string }[]): string {
  const base = text.includes(CONTEXT_MARKER) ? text.slice(0, text.indexOf(CONTEXT_MARKER)) : text
  const lines: string[] = []
  let total = 0
  for (const message of messages.slice().reverse()) {
    const clean = message.text.replace(/\s+/g, ' ').trim()
    if (clean === '') continue
    const line = `- ${message.role === 'user' ? 'User' : 'Assistant'}: ${clean.length > CONTEXT_LINE_CHARS ? `${clean.slice(0, CONTEXT_LINE_CHARS - 1)}…` : clean}`
    if (total + line.length > CONTEXT_TOTAL_CHARS) break
    lines.unshift(line)
    total += line.length
  }
  return lines.length === 0 ? base : `${base}${CONTEXT_MARKER}${lines.join('\n')}`
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
