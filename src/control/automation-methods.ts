import { z } from 'zod'
import type { Automation } from '../automation/create-automation.js'
import { CronJobCreateSchema, CronJobPatchSchema, CronScheduleSchema } from '../automation/cron-job.js'
import { computeNextRunAtMs, nextCronOccurrences } from '../automation/compute-next-run.js'
import { normalizeCronInput } from '../automation/normalize-cron-input.js'
import { getDefaultAgentId } from '../config/config-lookup.js'
import { mainSessionKey } from '../sessions/session-key.js'
import { defineMethod, MethodError, NoParams, type MethodDefinition } from './methods.js'

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
