import type { Storage } from 'unstorage'
import { parseJson5 } from '../config/parse-json5.js'
import { decodeStoredText } from '../sessions/decode-stored-text.js'
import { cronJobsKey, cronRunLogKey } from '../storage/keys.js'
import { CronJobSchema, type CronJob, type CronRunLogEntry } from './cron-job.js'

// Past this size a run log is rewritten keeping its newest lines (upstream's numbers).
const RUN_LOG_MAX_BYTES = 2_000_000
const RUN_LOG_KEEP_LINES = 2_000
const SEGMENT = /^[A-Za-z0-9_-]+$/
const FILE_NAME = /^[A-Za-z0-9_-]+\.json$/

/** Where the store lives as storage keys; built from `cron.store` by `resolveCronStoreLocation`. */
export interface CronStoreLocation {
  /** The configured path, shown by `cron.status`. */
  storePath: string
  directory: string
  fileName: string
}

/**
 * Maps `cron.store` onto the state-dir storage. Only files inside the state dir can be reached through it, so a path
 * elsewhere falls back to `$STATE_DIR/cron/jobs.json` with a warning that says why.
 */
export function resolveCronStoreLocation(stateDir: string, store: string | undefined, warn: (message: string) => void): CronStoreLocation {
  const base = stateDir.replace(/\/+$/, '')
  const fallback = { storePath: `${base}/cron/jobs.json`, directory: 'cron', fileName: 'jobs.json' }
  if (store === undefined || store.trim() === '') return fallback
  const path = store.trim()
  const relative = path.startsWith(`${base}/`) ? path.slice(base.length + 1) : undefined
  const parts = relative?.split('/') ?? []
  const fileName = parts.pop() ?? ''
  if (relative === undefined || parts.length === 0 || !parts.every((part) => SEGMENT.test(part)) || !FILE_NAME.test(fileName)) {
    warn(`cron: store path must be a .json file in a folder under the state dir (${base}); using ${fallback.storePath}`)
    return fallback
  }
  return { storePath: path, directory: parts.join(':'), fileName }
}

/** The job list as stored, plus whether loading changed anything (then it is written back). */
export interface LoadedJobs {
  jobs: CronJob[]
  changed: boolean
}

/**
 * Reads and writes `jobs.json` (`{"version":1,"jobs":[…]}`, 2-space JSON, JSON5 accepted on read) and the per-job
 * run logs. A missing or unreadable file is an empty store; invalid jobs are skipped with a warning, not lost: the
 * unreadable text is kept in `jobs.json.bak` before the first rewrite.
 * @see spec/automation.md §1.8
 */
export class CronStore {
  constructor(
    private readonly storage: Storage,
    private readonly location: CronStoreLocation,
    private readonly warn: (message: string) => void,
  ) {}

  get storePath(): string {
    return this.location.storePath
  }

  async load(): Promise<LoadedJobs> {
    const key = cronJobsKey(this.location.directory, this.location.fileName)
    const text = decodeStoredText(await this.storage.getItemRaw(key))
    if (text === undefined || text.trim() === '') return { jobs: [], changed: false }
    // Plain JSON first: it is what we write, and JSON5's parser is much slower and hungrier on a large store.
    const parsed = parseJsonFast(text) ?? parseJson5(text)
    const rawJobs = parsed.ok && isRecord(parsed.value) && Array.isArray(parsed.value.jobs) ? parsed.value.jobs : undefined
    if (rawJobs === undefined) {
      this.warn(`cron: ${this.location.storePath} is unreadable; starting with an empty job list (the file is kept as jobs.json.bak)`)
      await this.storage.setItemRaw(`${key}.bak`, text)
      return { jobs: [], changed: false }
    }
    const jobs: CronJob[] = []
    let changed = false
    for (const raw of rawJobs) {
      const migrated = migrateStoredJob(raw)
      changed ||= migrated.changed
      const result = CronJobSchema.safeParse(migrated.job)
      if (result.success) jobs.push(result.data)
      else {
        changed = true
        this.warn(`cron: skipping an invalid job in ${this.location.storePath}: ${result.error.issues[0]?.message ?? 'invalid'}`)
      }
    }
    if (changed) await this.storage.setItemRaw(`${key}.bak`, text)
    return { jobs, changed }
  }

  /**
   * Writes the whole store. `backup` also refreshes `jobs.json.bak`; run bookkeeping (started/finished) skips it,
   * which halves the writes per run on a large store while the backup still tracks every change to the job set.
   */
  async save(jobs: readonly CronJob[], options: { backup?: boolean } = {}): Promise<void> {
    const key = cronJobsKey(this.location.directory, this.location.fileName)
    const text = JSON.stringify({ version: 1, jobs }, null, 2)
    await this.storage.setItemRaw(key, text)
    // Best effort, as upstream: the backup only helps a human recover from a bad hand edit.
    if (options.backup !== false) await this.storage.setItemRaw(`${key}.bak`, text).catch(() => undefined)
  }

  /** Appends one finished run; rewrites the log keeping the newest lines once it passes 2 MB. */
  async appendRun(entry: CronRunLogEntry): Promise<void> {
    const key = cronRunLogKey(entry.jobId, this.location.directory)
    const existing = decodeStoredText(await this.storage.getItemRaw(key)) ?? ''
    let text = `${existing}${JSON.stringify(entry)}\n`
    if (text.length > RUN_LOG_MAX_BYTES) text = `${text.trimEnd().split('\n').slice(-RUN_LOG_KEEP_LINES).join('\n')}\n`
    await this.storage.setItemRaw(key, text)
  }

  /** The last `limit` finished runs of a job, oldest first; unreadable lines are skipped. */
  async readRuns(jobId: string, limit: number): Promise<CronRunLogEntry[]> {
    const text = decodeStoredText(await this.storage.getItemRaw(cronRunLogKey(jobId, this.location.directory))) ?? ''
    const entries: CronRunLogEntry[] = []
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue
      try {
        const value = JSON.parse(line) as CronRunLogEntry
        if (isRecord(value) && value.action === 'finished' && value.jobId === jobId) entries.push(value)
      } catch {
        // A torn last line after a crash is expected; the others are still good.
      }
    }
    return entries.slice(-limit)
  }
}

function parseJsonFast(text: string): { ok: true; value: unknown } | undefined {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return undefined
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// Upstream fills in names for old jobs, drops blank descriptions and moves `provider` to `channel` on load.
function migrateStoredJob(raw: unknown): { job: unknown; changed: boolean } {
  if (!isRecord(raw)) return { job: raw, changed: false }
  const job: Record<string, unknown> = { ...raw }
  let changed = false
  if (typeof job.name !== 'string' || job.name.trim() === '') {
    job.name = legacyName(job)
    changed = true
  }
  if (typeof job.description === 'string' && job.description.trim() === '') {
    delete job.description
    changed = true
  }
  if (isRecord(job.payload) && typeof job.payload.provider === 'string') {
    const payload: Record<string, unknown> = { ...job.payload }
    payload.channel ??= (payload.provider as string).toLowerCase()
    delete payload.provider
    job.payload = payload
    changed = true
  }
  if (!isRecord(job.state)) {
    job.state = {}
    changed = true
  }
  return { job, changed }
}

function legacyName(job: Record<string, unknown>): string {
  const payload = isRecord(job.payload) ? job.payload : {}
  const text = typeof payload.text === 'string' ? payload.text : typeof payload.message === 'string' ? payload.message : ''
  const firstLine = text.split('\n').map((line) => line.trim()).find((line) => line !== '')
  if (firstLine) return firstLine.length > 60 ? `${firstLine.slice(0, 59)}…` : firstLine
  const schedule = isRecord(job.schedule) ? job.schedule : {}
  if (schedule.kind === 'cron' && typeof schedule.expr === 'string') return `Cron: ${schedule.expr}`
  if (schedule.kind === 'every' && typeof schedule.everyMs === 'number') return `Every: ${schedule.everyMs}ms`
  if (schedule.kind === 'at') return 'One-shot'
  return 'Cron job'
}
