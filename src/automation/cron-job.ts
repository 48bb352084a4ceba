import { z } from 'zod'

/*
 * The cron job as `cron.list` returns it and `jobs.json` stores it. Objects are closed for RPC input, as upstream's
 * schema is, so a typo in a field name is an error rather than a silently ignored setting.
 * @see spec/automation.md §1.2
 */

const nonNegativeInt = z.number().int().nonnegative()

/** When a job runs: once at `atMs`, every `everyMs`, or on a 5-field cron expression in a time zone. */
export const CronScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('at'), atMs: nonNegativeInt }).strict(),
  z.object({ kind: z.literal('every'), everyMs: z.number().int().min(1), anchorMs: nonNegativeInt.optional() }).strict(),
  z.object({ kind: z.literal('cron'), expr: z.string(), tz: z.string().optional() }).strict(),
])

const SystemEventPayloadSchema = z.object({ kind: z.literal('systemEvent'), text: z.string() }).strict()
const AgentTurnPayloadSchema = z
  .object({
    kind: z.literal('agentTurn'),
    message: z.string(),
    model: z.string().optional(),
    thinking: z.string().optional(),
    timeoutSeconds: z.number().int().min(1).optional(),
    deliver: z.boolean().optional(),
    channel: z.string().optional(),
    to: z.string().optional(),
    bestEffortDeliver: z.boolean().optional(),
  })
  .strict()

/** What a run does: a system event for the main session, or a whole agent turn in its own session. */
export const CronPayloadSchema = z.discriminatedUnion('kind', [SystemEventPayloadSchema, AgentTurnPayloadSchema])

/** How an isolated run reports back to the main session. */
export const CronIsolationSchema = z
  .object({
    postToMainPrefix: z.string().optional(),
    postToMainMode: z.enum(['summary', 'full']).optional(),
    postToMainMaxChars: nonNegativeInt.optional(),
  })
  .strict()

/** Run bookkeeping; `retryCount` is ours (one-shot backoff, §1.6 deviation) and ignored by upstream readers. */
export const CronJobStateSchema = z
  .object({
    nextRunAtMs: nonNegativeInt.optional(),
    runningAtMs: nonNegativeInt.optional(),
    lastRunAtMs: nonNegativeInt.optional(),
    lastStatus: z.enum(['ok', 'error', 'skipped']).optional(),
    lastError: z.string().optional(),
    lastDurationMs: nonNegativeInt.optional(),
    retryCount: nonNegativeInt.optional(),
  })
  .strict()

const jobFields = {
  agentId: z.string().optional(),
  name: z.string(),
  description: z.string().optional(),
  enabled: z.boolean(),
  deleteAfterRun: z.boolean().optional(),
  schedule: CronScheduleSchema,
  sessionTarget: z.enum(['main', 'isolated']),
  wakeMode: z.enum(['next-heartbeat', 'now']),
  payload: CronPayloadSchema,
  isolation: CronIsolationSchema.optional(),
}

/** A stored job. */
export const CronJobSchema = z
  .object({
    id: z.string().min(1),
    ...jobFields,
    createdAtMs: nonNegativeInt,
    updatedAtMs: nonNegativeInt,
    state: CronJobStateSchema,
  })
  .strict()

/** `cron.add` params after normalization: the job minus what the gateway assigns; `agentId` may be null. */
export const CronJobCreateSchema = z
  .object({ ...jobFields, agentId: z.string().nullable().optional(), name: z.string().optional(), enabled: z.boolean().optional() })
  .strict()

/** `cron.update`'s patch: any job field; payload fields are checked after merging (see `applyCronPatch`). */
export const CronJobPatchSchema = z
  .object({
    name: z.string().optional(),
    agentId: z.string().nullable().optional(),
    description: z.string().optional(),
    enabled: z.boolean().optional(),
    deleteAfterRun: z.boolean().optional(),
    schedule: CronScheduleSchema.optional(),
    sessionTarget: z.enum(['main', 'isolated']).optional(),
    wakeMode: z.enum(['next-heartbeat', 'now']).optional(),
    payload: z.union([SystemEventPayloadSchema.partial({ text: true }), AgentTurnPayloadSchema.partial({ message: true })]).optional(),
    isolation: CronIsolationSchema.optional(),
    state: CronJobStateSchema.partial().optional(),
  })
  .strict()

export type CronSchedule = z.infer<typeof CronScheduleSchema>
export type CronPayload = z.infer<typeof CronPayloadSchema>
export type CronJob = z.infer<typeof CronJobSchema>
export type CronJobCreate = z.infer<typeof CronJobCreateSchema>
export type CronJobPatch = z.infer<typeof CronJobPatchSchema>
export type CronRunStatus = 'ok' | 'error' | 'skipped'

/** One line of a job's run log and the payload of the `finished` event. */
export interface CronRunLogEntry {
  ts: number
  jobId: string
  action: 'finished'
  status?: CronRunStatus
  error?: string
  summary?: string
  runAtMs?: number
  durationMs?: number
  nextRunAtMs?: number
}

/** Checks the pairing rule: main jobs carry system events, isolated jobs agent turns; returns the error text. */
export function pairingError(job: Pick<CronJob, 'sessionTarget' | 'payload'>): string | undefined {
  if (job.sessionTarget === 'main' && job.payload.kind !== 'systemEvent') return 'main cron jobs require payload.kind="systemEvent"'
  if (job.sessionTarget === 'isolated' && job.payload.kind !== 'agentTurn') return 'isolated cron jobs require payload.kind="agentTurn"'
  return undefined
}
