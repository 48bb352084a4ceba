import type { Scheduler } from '../deps.js'
import { CronJobCreateSchema, pairingError, type CronJob, type CronJobPatch, type CronRunLogEntry, type CronRunStatus } from './cron-job.js'
import { applyCronPatch } from './apply-cron-patch.js'
import { assertValidSchedule, computeNextRunAtMs } from './compute-next-run.js'
import type { CronStore } from './cron-store.js'

// A running marker this old is a crash leftover, not a run (upstream's 2 h).
const STUCK_RUN_MS = 2 * 3_600_000
// setTimeout's ceiling; a later wake-up re-arms on arrival.
const MAX_TIMER_MS = 2 ** 31 - 1
/** DEVIATION: a failed one-shot retries after these delays, then is disabled (upstream retries in a tight loop). */
export const ONE_SHOT_RETRY_DELAYS_MS = [30_000, 60_000, 300_000, 900_000, 3_600_000] as const
const SUMMARY_MAX = 2_000
// How late a stored due time may be at start and still run (an alarm or a restart landing right on it).
const JUST_DUE_MS = 60_000

/** What running a job produced. */
export interface CronRunResult {
  status: CronRunStatus
  error?: string
  summary?: string
  outputText?: string
}

/** The `cron` event payload. */
export type CronEvent = { jobId: string; action: 'added' | 'updated' | 'removed' | 'started' | 'finished' } & Record<string, unknown>

/** What the service needs from the outside. */
export interface CronServiceOptions {
  store: CronStore
  now: () => number
  scheduler: Scheduler
  log: { info(message: string, data?: unknown): void; warn(message: string): void; error(message: string): void }
  /** `cron.enabled !== false` and `CLAWDBOT_SKIP_CRON` is not `1`. */
  enabled: boolean
  /** Zone for cron expressions without `tz` (the host's). */
  hostZone?: string
  /** Runs one job; never called with the store lock held. */
  execute: (job: CronJob) => Promise<CronRunResult>
  emit: (event: CronEvent) => void
}

/**
 * The cron scheduler: jobs in `jobs.json`, one timer at the earliest due job, runs one at a time. Every store
 * operation is serialized, but job execution happens outside that lock (DEVIATION from upstream, whose `cron.list`
 * waits behind a running job); a job is kept from running twice by its `runningAtMs` marker.
 * @see spec/automation.md §1
 */
export class CronService {
  #jobs: CronJob[] = []
  #lock: Promise<unknown> = Promise.resolve()
  #cancelTimer?: () => void
  #started = false
  #ticking = false
  #warnedDisabled = false

  constructor(private readonly options: CronServiceOptions) {}

  get enabled(): boolean {
    return this.options.enabled
  }

  /** Loads the store, clears stale running markers, recomputes every due time from now (no catch-up), arms. */
  async start(): Promise<void> {
    await this.#locked(async () => {
      const loaded = await this.options.store.load()
      const now = this.options.now()
      this.#jobs = loaded.jobs
      for (const job of this.#jobs) {
        if (job.state.runningAtMs !== undefined && now - job.state.runningAtMs > STUCK_RUN_MS) {
          this.options.log.warn('cron: clearing stuck running marker')
          delete job.state.runningAtMs
        }
        if (!job.enabled) {
          delete job.state.nextRunAtMs
          delete job.state.runningAtMs
          continue
        }
        // A run that fell due just now is this boot's reason to exist on Workers (the alarm woke us for it); keep
        // it. Older due times were missed while down and are skipped, as upstream does.
        const stored = job.state.nextRunAtMs
        if (stored !== undefined && stored <= now && now - stored <= JUST_DUE_MS) continue
        const next = this.#nextRun(job, now)
        if (next === undefined) delete job.state.nextRunAtMs
        else job.state.nextRunAtMs = next
      }
      await this.options.store.save(this.#jobs)
      this.#started = true
      if (this.options.enabled) this.options.log.info('cron: started', { enabled: true, jobs: this.#jobs.length, nextWakeAtMs: this.nextWakeAtMs() ?? null })
      else this.options.log.info('cron: disabled')
      this.#arm()
    })
  }

  stop(): void {
    this.#started = false
    this.#cancelTimer?.()
    this.#cancelTimer = undefined
  }

  /** Earliest `nextRunAtMs` of the enabled jobs; undefined when nothing is scheduled or the scheduler is off. */
  nextWakeAtMs(): number | undefined {
    if (!this.options.enabled) return undefined
    const times = this.#jobs.filter((job) => job.enabled && job.state.nextRunAtMs !== undefined).map((job) => job.state.nextRunAtMs as number)
    return times.length === 0 ? undefined : Math.min(...times)
  }

  status(): Promise<{ enabled: boolean; storePath: string; jobs: number; nextWakeAtMs: number | null }> {
    return this.#locked(async () => ({ enabled: this.options.enabled, storePath: this.options.store.storePath, jobs: this.#jobs.length, nextWakeAtMs: this.nextWakeAtMs() ?? null }))
  }

  list(includeDisabled = false): Promise<{ jobs: CronJob[] }> {
    return this.#locked(async () => {
      const jobs = this.#jobs.filter((job) => includeDisabled || job.enabled).map((job) => structuredClone(job))
      jobs.sort((a, b) => (a.state.nextRunAtMs ?? 0) - (b.state.nextRunAtMs ?? 0))
      return { jobs }
    })
  }

  /** Adds a job from normalized, schema-checked input; throws `Error` with upstream's texts for service-level rules. */
  add(input: unknown): Promise<CronJob> {
    return this.#locked(async () => {
      this.#warnIfDisabled()
      const parsed = CronJobCreateSchema.parse(input)
      const name = parsed.name?.trim() ?? ''
      if (name === '') throw new Error('cron job name is required')
      const pairing = pairingError(parsed)
      if (pairing) throw new Error(pairing)
      assertValidSchedule(parsed.schedule, this.options.hostZone)
      const now = this.options.now()
      const description = parsed.description?.trim()
      const job: CronJob = {
        id: crypto.randomUUID(),
        ...(parsed.agentId ? { agentId: parsed.agentId } : {}),
        name,
        ...(description ? { description } : {}),
        enabled: parsed.enabled !== false,
        ...(parsed.deleteAfterRun !== undefined ? { deleteAfterRun: parsed.deleteAfterRun } : {}),
        createdAtMs: now,
        updatedAtMs: now,
        schedule: parsed.schedule,
        sessionTarget: parsed.sessionTarget,
        wakeMode: parsed.wakeMode,
        payload: parsed.payload,
        ...(parsed.isolation ? { isolation: parsed.isolation } : {}),
        state: {},
      }
      if (job.enabled) {
        const next = this.#nextRun(job, now)
        if (next !== undefined) job.state.nextRunAtMs = next
      }
      this.#jobs.push(job)
      await this.#persistAndArm()
      this.options.emit({ jobId: job.id, action: 'added', ...(job.state.nextRunAtMs !== undefined ? { nextRunAtMs: job.state.nextRunAtMs } : {}) })
      return structuredClone(job)
    })
  }

  update(id: string, patch: CronJobPatch): Promise<CronJob> {
    return this.#locked(async () => {
      this.#warnIfDisabled()
      const index = this.#indexOf(id)
      const current = this.#jobs[index]!
      const next = applyCronPatch(current, patch)
      const pairing = pairingError(next)
      if (pairing) throw new Error(pairing)
      if (next.name.trim() === '') throw new Error('cron job name is required')
      assertValidSchedule(next.schedule, this.options.hostZone)
      const now = this.options.now()
      next.updatedAtMs = now
      if (!next.enabled) {
        delete next.state.nextRunAtMs
        delete next.state.runningAtMs
      } else if (patch.schedule !== undefined || patch.enabled !== undefined || next.state.nextRunAtMs === undefined) {
        delete next.state.retryCount
        const due = this.#nextRun(next, now)
        if (due === undefined) delete next.state.nextRunAtMs
        else next.state.nextRunAtMs = due
      }
      this.#jobs[index] = next
      await this.#persistAndArm()
      this.options.emit({ jobId: id, action: 'updated', ...(next.state.nextRunAtMs !== undefined ? { nextRunAtMs: next.state.nextRunAtMs } : {}) })
      return structuredClone(next)
    })
  }

  remove(id: string): Promise<{ ok: true; removed: boolean }> {
    return this.#locked(async () => {
      this.#warnIfDisabled()
      const before = this.#jobs.length
      this.#jobs = this.#jobs.filter((job) => job.id !== id)
      const removed = this.#jobs.length !== before
      await this.#persistAndArm()
      if (removed) this.options.emit({ jobId: id, action: 'removed' })
      return { ok: true, removed }
    })
  }

  /** Runs a job now (`force`) or only if it is due (`due`); resolves after the run finished. */
  async run(id: string, mode: 'due' | 'force' = 'due'): Promise<{ ok: true; ran: boolean; reason?: string }> {
    const job = await this.#locked(async () => {
      this.#warnIfDisabled()
      const found = this.#jobs[this.#indexOf(id)]!
      if (found.state.runningAtMs !== undefined) return { skip: 'already-running' as const }
      if (mode === 'due' && !this.#isDue(found, this.options.now())) return { skip: 'not-due' as const }
      return { job: await this.#markStarted(found) }
    })
    if ('skip' in job) return { ok: true, ran: false, reason: job.skip }
    await this.#execute(job.job, true)
    return { ok: true, ran: true }
  }

  runs(id: string, limit: number): Promise<{ entries: CronRunLogEntry[] }> {
    return this.options.store.readRuns(id, limit).then((entries) => ({ entries }))
  }

  /** The timer's work: runs every due job, one after another, outside the store lock. */
  async tick(): Promise<void> {
    if (this.#ticking) return
    this.#ticking = true
    try {
      for (;;) {
        const job = await this.#locked(async () => {
          const now = this.options.now()
          const due = this.#jobs.filter((candidate) => this.#isDue(candidate, now)).sort((a, b) => (a.state.nextRunAtMs ?? 0) - (b.state.nextRunAtMs ?? 0))[0]
          return due === undefined ? undefined : this.#markStarted(due)
        })
        if (job === undefined) break
        await this.#execute(job, false)
      }
    } catch (error) {
      this.options.log.error(`cron: timer tick failed: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      this.#ticking = false
      await this.#locked(async () => this.#arm())
    }
  }

  #isDue(job: CronJob, now: number): boolean {
    return job.enabled && job.state.runningAtMs === undefined && job.state.nextRunAtMs !== undefined && now >= job.state.nextRunAtMs
  }

  async #markStarted(job: CronJob): Promise<CronJob> {
    const runAtMs = this.options.now()
    job.state.runningAtMs = runAtMs
    delete job.state.lastError
    await this.options.store.save(this.#jobs, { backup: false })
    this.options.emit({ jobId: job.id, action: 'started', runAtMs })
    return structuredClone(job)
  }

  async #execute(snapshot: CronJob, forced: boolean): Promise<void> {
    const runAtMs = snapshot.state.runningAtMs ?? this.options.now()
    const scheduledAt = snapshot.state.nextRunAtMs ?? runAtMs
    let result: CronRunResult
    try {
      result = await this.options.execute(snapshot)
    } catch (error) {
      result = { status: 'error', error: error instanceof Error ? error.message : String(error) }
    }
    if (result.status === 'error' && !result.error) result.error = 'cron job failed'
    const summary = result.summary === undefined ? undefined : result.summary.length > SUMMARY_MAX ? `${result.summary.slice(0, SUMMARY_MAX)}…` : result.summary
    await this.#locked(async () => {
      const endedAt = this.options.now()
      const index = this.#jobs.findIndex((job) => job.id === snapshot.id)
      const job = this.#jobs[index]
      const entry: CronRunLogEntry = { ts: endedAt, jobId: snapshot.id, action: 'finished', status: result.status, ...(result.error ? { error: result.error } : {}), ...(summary ? { summary } : {}), runAtMs, durationMs: endedAt - runAtMs }
      let removed = false
      if (job !== undefined) {
        delete job.state.runningAtMs
        job.state.lastRunAtMs = runAtMs
        job.state.lastStatus = result.status
        job.state.lastDurationMs = endedAt - runAtMs
        if (result.error) job.state.lastError = result.error
        else delete job.state.lastError
        job.updatedAtMs = scheduledAt
        if (job.schedule.kind === 'at') {
          if (result.status === 'ok') {
            delete job.state.retryCount
            if (job.deleteAfterRun) {
              this.#jobs.splice(index, 1)
              removed = true
            } else {
              job.enabled = false
              delete job.state.nextRunAtMs
            }
          } else if (job.enabled) {
            this.#scheduleRetry(job, endedAt)
          }
        } else if (job.enabled) {
          delete job.state.retryCount
          // A run that outlived its next slot counts from "now", except a forced run, which keeps the schedule.
          const from = forced ? Math.max(endedAt, scheduledAt) : endedAt
          const next = this.#nextRun(job, from)
          if (next === undefined) delete job.state.nextRunAtMs
          else job.state.nextRunAtMs = next
        }
        if (job.state.nextRunAtMs !== undefined && !removed) entry.nextRunAtMs = job.state.nextRunAtMs
        await this.options.store.save(this.#jobs, { backup: removed || !job.enabled })
      }
      await this.options.store.appendRun(entry).catch((error: unknown) => this.options.log.warn(`cron: run log append failed: ${String(error)}`))
      const { ts: _ts, action: _action, ...finished } = entry
      this.options.emit({ ...finished, action: 'finished' })
      if (removed) this.options.emit({ jobId: snapshot.id, action: 'removed' })
      this.#arm()
    })
  }

  #scheduleRetry(job: CronJob, endedAt: number): void {
    const retries = job.state.retryCount ?? 0
    if (retries >= ONE_SHOT_RETRY_DELAYS_MS.length) {
      job.enabled = false
      delete job.state.nextRunAtMs
      delete job.state.retryCount
      this.options.log.warn(`cron: one-shot job ${job.id} failed ${retries + 1} times; disabled it (last error: ${job.state.lastError ?? job.state.lastStatus})`)
      return
    }
    job.state.retryCount = retries + 1
    job.state.nextRunAtMs = endedAt + ONE_SHOT_RETRY_DELAYS_MS[retries]!
  }

  #nextRun(job: CronJob, now: number): number | undefined {
    try {
      return computeNextRunAtMs(job.schedule, now, this.options.hostZone)
    } catch (error) {
      this.options.log.warn(`cron: job ${job.id} has an unusable schedule: ${error instanceof Error ? error.message : String(error)}`)
      return undefined
    }
  }

  #indexOf(id: string): number {
    const index = this.#jobs.findIndex((job) => job.id === id)
    if (index === -1) throw new Error(`unknown cron job id: ${id}`)
    return index
  }

  #warnIfDisabled(): void {
    if (this.options.enabled || this.#warnedDisabled) return
    this.#warnedDisabled = true
    this.options.log.warn('cron: scheduler disabled; jobs will not run automatically')
  }

  async #persistAndArm(): Promise<void> {
    await this.options.store.save(this.#jobs)
    this.#arm()
  }

  #arm(): void {
    this.#cancelTimer?.()
    this.#cancelTimer = undefined
    if (!this.options.enabled || !this.#started) return
    // A running job's past due time must not re-fire the timer; its finish re-arms.
    const times = this.#jobs.filter((job) => job.enabled && job.state.runningAtMs === undefined && job.state.nextRunAtMs !== undefined).map((job) => job.state.nextRunAtMs as number)
    if (times.length === 0) return
    const next = Math.min(...times)
    this.options.scheduler.wakeAt(next)
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, next - this.options.now()))
    this.#cancelTimer = this.options.scheduler.after(delay, () => void this.tick())
  }

  // One operation at a time; a failed one does not block the next.
  #locked<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#lock.then(task)
    this.#lock = result.catch(() => undefined)
    return result
  }
}
