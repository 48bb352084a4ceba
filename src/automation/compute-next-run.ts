import { Cron } from 'croner'
import type { CronSchedule } from './cron-job.js'

/**
 * The first time strictly after `now` that a schedule is due, or undefined when it never is again. `at` is due at
 * `atMs` even when that is past (a one-shot stays due until it succeeds). `every` counts from `anchorMs ?? now`.
 * `cron` is evaluated by croner in `tz`, or in `hostZone` when the job names none.
 * @see spec/automation.md §1.4
 */
export function computeNextRunAtMs(schedule: CronSchedule, now: number, hostZone?: string): number | undefined {
  if (schedule.kind === 'at') return schedule.atMs
  if (schedule.kind === 'every') {
    const anchor = schedule.anchorMs ?? now
    if (anchor > now) return anchor
    const steps = Math.floor((now - anchor) / schedule.everyMs) + 1
    return anchor + steps * schedule.everyMs
  }
  return nextCronOccurrences(schedule, now, 1, hostZone)[0]
}

/** The next `count` occurrences of a cron expression after `now`; throws on a bad expression or zone. */
export function nextCronOccurrences(schedule: Extract<CronSchedule, { kind: 'cron' }>, now: number, count: number, hostZone?: string): number[] {
  const expr = schedule.expr.trim()
  if (expr === '') return []
  const timezone = schedule.tz?.trim() || hostZone
  const cron = new Cron(expr, { paused: true, ...(timezone ? { timezone } : {}) })
  return cron.nextRuns(count, new Date(now)).map((date) => date.getTime())
}

/** Checks a schedule up front so `cron.add`/`cron.update` refuse a bad expression or zone with croner's reason. */
export function assertValidSchedule(schedule: CronSchedule, hostZone?: string): void {
  if (schedule.kind !== 'cron') return
  if (schedule.tz !== undefined && schedule.tz.trim() !== '') {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: schedule.tz.trim() })
    } catch {
      throw new Error(`invalid time zone: ${schedule.tz} (use an IANA name such as Europe/Berlin)`)
    }
  }
  nextCronOccurrences(schedule, 0, 1, hostZone)
}
