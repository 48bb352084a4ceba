import { z } from 'zod'
import type { Automation } from '../automation/create-automation.js'
import { CronJobCreateSchema, CronJobPatchSchema, CronScheduleSchema } from '../automation/cron-job.js'
import { computeNextRunAtMs, nextCronOccurrences } from '../automation/compute-next-run.js'
import { normalizeCronInput } from '../automation/normalize-cron-input.js'
import { getDefaultAgentId } from '../config/config-lookup.js'
import { mainSessionKey } from '../sessions/session-key.js'
import { defineMethod, MethodError, NoParams, type MethodContext, type MethodDefinition } from './methods.js'
import type { AppDeps } from '../deps.js'
import type { CronAccess } from '../tools/cron-tool.js'
import { resolveDeliveryTarget } from '../automation/resolve-delivery-target.js'

const JobRef = { id: z.string().optional(), jobId: z.string().optional() }
const AddParams = z.preprocess((raw) => normalizeCronInput(raw, { applyDefaults: true }), CronJobCreateSchema)
const UpdateParams = z.object({ ...JobRef, patch: z.preprocess((raw) => normalizeCronInput(raw, { applyDefaults: false }), CronJobPatchSchema) }).strict()
const RunParams = z.object({ ...JobRef, mode: z.enum(['due', 'force']).optional() }).strict()
const RunsParams = z.object({ ...JobRef, limit: z.number().int().min(1).max(5_000).optional() }).strict()
const ListParams = z.object({ includeDisabled: z.boolean().optional() }).strict()
const WakeParams = z.object({ mode: z.enum(['now', 'next-heartbeat']), text: z.string().min(1) }).strict()
const PreviewParams = z.object({ schedule: z.preprocess((raw) => (normalizeCronInput({ schedule: raw }, { applyDefaults: false }) as { schedule: unknown }).schedule, CronScheduleSchema), count: z.number().int().min(1).max(10).optional() }).strict()

/**
 * `cron.*`, `wake`, `last-heartbeat` and `set-heartbeats` with upstream's shapes and errors: bad params are
 * `INVALID_REQUEST "invalid <method> params: …"`, service failures `UNAVAILABLE "Error: <text>"`.
 * `cron.preview` is ours: the next occurrences of a schedule, for the Schedules view's form.
 * @see spec/automation.md §1.10, §1.12, §2.8
 */
export function createAutomationMethods(automation: Automation): MethodDefinition[] {
  const service = async () => {
    await automation.refresh()
    return automation.cron()
  }
  const idOf = (method: string, params: { id?: string; jobId?: string }) => {
    const id = (params.id ?? params.jobId)?.trim()
    if (!id) throw new MethodError('INVALID_REQUEST', `invalid ${method} params: missing id`)
    return id
  }
  return [
    defineMethod('cron.status', NoParams, async () => unavailable(async () => (await service()).status())),
    defineMethod('cron.list', ListParams, async (_context, params) => unavailable(async () => (await service()).list(params.includeDisabled ?? false))),
    defineMethod('cron.add', AddParams, async (_context, params) => unavailable(async () => (await service()).add(params)), { admin: true }),
    defineMethod('cron.update', UpdateParams, async (_context, params) => {
      const id = idOf('cron.update', params)
      return unavailable(async () => (await service()).update(id, params.patch))
    }, { admin: true }),
    defineMethod('cron.remove', z.object(JobRef).strict(), async (_context, params) => {
      const id = idOf('cron.remove', params)
      return unavailable(async () => (await service()).remove(id))
    }, { admin: true }),
    defineMethod('cron.run', RunParams, async (_context, params) => {
      const id = idOf('cron.run', params)
      return unavailable(async () => (await service()).run(id, params.mode ?? 'due'))
    }, { admin: true }),
    defineMethod('cron.runs', RunsParams, async (_context, params) => {
      const id = idOf('cron.runs', params)
      return unavailable(async () => (await service()).runs(id, params.limit ?? 200))
    }),
    defineMethod('cron.preview', PreviewParams, ({ deps }, params) =>
      unavailable(async () => {
        const now = deps.now()
        const count = params.count ?? 3
        const schedule = params.schedule
        if (schedule.kind === 'cron') return { nextRuns: nextCronOccurrences(schedule, now, count, new Intl.DateTimeFormat().resolvedOptions().timeZone) }
        if (schedule.kind === 'at') return { nextRuns: [schedule.atMs] }
        const runs: number[] = []
        let from = now
        for (let index = 0; index < count; index += 1) runs.push((from = computeNextRunAtMs(schedule, from) as number))
        return { nextRuns: runs }
      }),
    ),
    defineMethod('wake', z.looseObject({ mode: z.unknown(), text: z.unknown() }), ({ deps }, raw) => {
      // Whitespace-only text is a quiet no-op upstream, not a params error.
      if (typeof raw.text === 'string' && raw.text.length > 0 && raw.text.trim() === '' && (raw.mode === 'now' || raw.mode === 'next-heartbeat')) return { ok: false }
      const parsed = WakeParams.safeParse(raw)
      if (!parsed.success) throw new MethodError('INVALID_REQUEST', `invalid wake params: ${parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ')}`)
      const sessionKey = mainSessionKey(getDefaultAgentId(deps.state.config))
      automation.agents.systemEvents.enqueue(sessionKey, parsed.data.text, deps.now())
      if (parsed.data.mode === 'now') automation.heartbeat.requestNow('wake')
      return { ok: true }
    }),
    defineMethod('last-heartbeat', NoParams, () => automation.heartbeat.lastEvent),
    defineMethod('set-heartbeats', z.looseObject({ enabled: z.unknown() }), (_context, params) => {
      if (typeof params.enabled !== 'boolean') throw new MethodError('INVALID_REQUEST', 'invalid set-heartbeats params: enabled (boolean) required')
      automation.heartbeat.setEnabled(params.enabled)
      return { ok: true, enabled: params.enabled }
    }, { admin: true }),
  ]
}

async function unavailable<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task()
  } catch (error) {
    if (error instanceof MethodError) throw error
    throw new MethodError('UNAVAILABLE', String(error instanceof Error ? `Error: ${error.message}` : error))
  }
}

/**
 * The `cron` tool's way in: the same method definitions the socket uses (so params, normalization and errors are
 * identical), called in-process instead of over a gateway URL; plus a session's recent texts and reply route.
 */
export function createCronToolAccess(deps: AppDeps, automation: Automation, channels: () => readonly string[]): CronAccess {
  const table = new Map(createAutomationMethods(automation).map((definition) => [definition.name, definition]))
  // These handlers read only `deps`; there is no connection behind an in-process call.
  const context = { deps } as MethodContext
  const sessionEntry = (agentId: string, sessionKey: string) => automation.agents.sessions.store(agentId).get(sessionKey)
  return {
    async call(method, params) {
      const definition = table.get(method)
      if (!definition) throw new Error(`unknown method: ${method}`)
      return definition.call(context, params)
    },
    async recentMessages(agentId, sessionKey, limit) {
      const entry = await sessionEntry(agentId, sessionKey)
      if (!entry) return []
      const history = await automation.agents.sessions.transcripts.read(agentId, entry.sessionId, { limit: limit * 4 })
      const texts: { role: 'user' | 'assistant'; text: string }[] = []
      for (const item of history) {
        const message = (item as { message?: { role?: string; content?: unknown } }).message
        if (message?.role !== 'user' && message?.role !== 'assistant') continue
        const content = message.content
        const text = typeof content === 'string' ? content : Array.isArray(content) ? content.filter((part) => part?.type === 'text').map((part) => String(part.text ?? '')).join('\n') : ''
        if (text.trim() !== '') texts.push({ role: message.role, text })
      }
      return texts.slice(-limit)
    },
    async route(agentId, sessionKey) {
      const resolved = resolveDeliveryTarget({ channel: 'last' }, { key: sessionKey, entry: await sessionEntry(agentId, sessionKey) }, channels())
      return resolved.ok ? resolved.target : undefined
    },
  }
}
