import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createStorage, type Storage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { createNodeScheduler } from '../runtime/node/node-scheduler.js'
import { CronService, ONE_SHOT_RETRY_DELAYS_MS, type CronEvent, type CronRunResult } from './cron-service.js'
import { CronStore } from './cron-store.js'
import { normalizeCronInput } from './normalize-cron-input.js'
import type { CronJob } from './cron-job.js'

const START = Date.parse('2026-01-12T12:00:00Z')
const LOCATION = { storePath: '/data/cron/jobs.json', directory: 'cron', fileName: 'jobs.json' }

function makeService(storage: Storage, options: { enabled?: boolean; execute?: (job: CronJob) => Promise<CronRunResult> } = {}) {
  const events: CronEvent[] = []
  const ran: { id: string; at: number }[] = []
  const logs: string[] = []
  const service = new CronService({
    store: new CronStore(storage, LOCATION, (message) => logs.push(message)),
    now: () => Date.now(),
    scheduler: createNodeScheduler(),
    log: { info: (message) => logs.push(message), warn: (message) => logs.push(message), error: (message) => logs.push(message) },
    enabled: options.enabled ?? true,
    hostZone: 'UTC',
    execute: async (job) => {
      ran.push({ id: job.id, at: Date.now() })
      return options.execute ? options.execute(job) : { status: 'ok', summary: 'done' }
    },
    emit: (event) => events.push(event),
  })
  return { service, events, ran, logs }
}

const add = (service: CronService, input: unknown) => service.add(normalizeCronInput(input, { applyDefaults: true }))

describe('CronService', () => {
  let storage: Storage
  beforeEach(() => {
    vi.useFakeTimers({ now: START })
    storage = createStorage({ driver: memoryDriver() })
  })
  afterEach(() => vi.useRealTimers())

  it('vector 1: an ISO time without zone is UTC; main target and next-heartbeat are the defaults', async () => {
    const { service, events } = makeService(storage)
    await service.start()
    const job = await add(service, { name: 'r', schedule: { at: '2026-01-12T18:00:00' }, payload: { kind: 'systemEvent', text: 'x' } })
    expect(job).toMatchObject({ name: 'r', enabled: true, sessionTarget: 'main', wakeMode: 'next-heartbeat', schedule: { kind: 'at', atMs: Date.parse('2026-01-12T18:00:00Z') } })
    expect(job.state.nextRunAtMs).toBe(Date.parse('2026-01-12T18:00:00Z'))
    expect(events).toEqual([{ jobId: job.id, action: 'added', nextRunAtMs: Date.parse('2026-01-12T18:00:00Z') }])
    expect(JSON.parse((await storage.getItemRaw('cron:jobs.json')) as string)).toEqual({ version: 1, jobs: [job] })
  })

  it('vector 2: the pairing rule refuses a main job with an agent turn', async () => {
    const { service } = makeService(storage)
    await service.start()
    await expect(add(service, { name: 'r', sessionTarget: 'main', schedule: { everyMs: 1000 }, payload: { kind: 'agentTurn', message: 'hi' } })).rejects.toThrow(
      'main cron jobs require payload.kind="systemEvent"',
    )
    await expect(add(service, { name: '  ', schedule: { everyMs: 1000 }, payload: { kind: 'systemEvent', text: 'x' } })).rejects.toThrow('cron job name is required')
  })

  it('vector 3: an every job restarts its interval from the boot time, without catching up', async () => {
    const first = makeService(storage)
    await first.service.start()
    const job = await add(first.service, { name: 'e', schedule: { kind: 'every', everyMs: 600_000 }, payload: { kind: 'systemEvent', text: 'x' } })
    expect(job.state.nextRunAtMs).toBe(START + 600_000)
    first.service.stop()
    // Down for an hour: six slots missed.
    vi.setSystemTime(START + 3_600_000)
    const second = makeService(storage)
    await second.service.start()
    const [loaded] = (await second.service.list()).jobs
    expect(loaded?.state.nextRunAtMs).toBe(START + 3_600_000 + 600_000)
    await vi.advanceTimersByTimeAsync(599_999)
    expect(second.ran).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(second.ran).toEqual([{ id: job.id, at: START + 3_600_000 + 600_000 }])
    expect(first.ran).toHaveLength(0)
  })

  it('runs an every job whose due time passed moments before the boot (a Workers alarm wake-up)', async () => {
    const first = makeService(storage)
    await first.service.start()
    const job = await add(first.service, { name: 'e', schedule: { kind: 'every', everyMs: 600_000 }, payload: { kind: 'systemEvent', text: 'x' } })
    first.service.stop()
    vi.setSystemTime(START + 600_000 + 500)
    const second = makeService(storage)
    await second.service.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(second.ran).toEqual([{ id: job.id, at: START + 600_500 }])
    expect((await second.service.list()).jobs[0]?.state.nextRunAtMs).toBe(START + 600_500 + 600_000)
  })

  it('vector 4: an overdue one-shot runs right after boot; deleteAfterRun sends finished, then removed', async () => {
    const first = makeService(storage)
    await first.service.start()
    const job = await add(first.service, { name: 'o', deleteAfterRun: true, schedule: { atMs: START + 60_000 }, payload: { kind: 'systemEvent', text: 'x' } })
    first.service.stop()
    vi.setSystemTime(START + 86_400_000)
    const second = makeService(storage)
    await second.service.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(second.ran).toEqual([{ id: job.id, at: START + 86_400_000 }])
    expect(second.events.map((event) => event.action)).toEqual(['started', 'finished', 'removed'])
    expect(second.events[1]).toEqual({ jobId: job.id, action: 'finished', status: 'ok', summary: 'done', runAtMs: START + 86_400_000, durationMs: 0 })
    expect((await second.service.list(true)).jobs).toEqual([])
    expect((await second.service.runs(job.id, 10)).entries).toEqual([
      { ts: START + 86_400_000, jobId: job.id, action: 'finished', status: 'ok', summary: 'done', runAtMs: START + 86_400_000, durationMs: 0 },
    ])
  })

  it('disables a one-shot after it succeeds when deleteAfterRun is not set', async () => {
    const { service, ran } = makeService(storage)
    await service.start()
    const job = await add(service, { name: 'o', schedule: { atMs: START + 1_000 }, payload: { kind: 'systemEvent', text: 'x' } })
    await vi.advanceTimersByTimeAsync(1_000)
    expect(ran).toHaveLength(1)
    const [after] = (await service.list(true)).jobs
    expect(after).toMatchObject({ id: job.id, enabled: false, state: { lastStatus: 'ok', lastRunAtMs: START + 1_000 } })
    expect(after?.state.nextRunAtMs).toBeUndefined()
  })

  it('retries a failing one-shot with backoff instead of a tight loop, then disables it', async () => {
    const { service, ran, logs } = makeService(storage, { execute: async () => ({ status: 'error', error: 'boom' }) })
    await service.start()
    await add(service, { name: 'f', schedule: { atMs: START }, payload: { kind: 'systemEvent', text: 'x' } })
    await vi.advanceTimersByTimeAsync(0)
    expect(ran.map((run) => run.at - START)).toEqual([0])
    let expected = 0
    for (const delay of ONE_SHOT_RETRY_DELAYS_MS) {
      expected += delay
      await vi.advanceTimersByTimeAsync(delay)
      expect(ran.at(-1)!.at - START).toBe(expected)
    }
    expect(ran).toHaveLength(1 + ONE_SHOT_RETRY_DELAYS_MS.length)
    const [job] = (await service.list(true)).jobs
    expect(job).toMatchObject({ enabled: false, state: { lastStatus: 'error', lastError: 'boom' } })
    await vi.advanceTimersByTimeAsync(24 * 3_600_000)
    expect(ran).toHaveLength(1 + ONE_SHOT_RETRY_DELAYS_MS.length)
    expect(logs.some((line) => line.includes('failed 6 times; disabled it'))).toBe(true)
  })

  it('evaluates a cron expression in its zone across a DST change (Europe/Berlin, spring forward)', async () => {
    vi.setSystemTime(Date.parse('2026-03-27T12:00:00Z'))
    const { service, ran } = makeService(storage)
    await service.start()
    const job = await add(service, { name: 'd', schedule: { kind: 'cron', expr: '0 9 * * *', tz: 'Europe/Berlin' }, payload: { kind: 'systemEvent', text: 'x' } })
    // 09:00 CET is 08:00 UTC on the 28th; after the switch on the 29th 09:00 CEST is 07:00 UTC.
    expect(job.state.nextRunAtMs).toBe(Date.parse('2026-03-28T08:00:00Z'))
    await vi.advanceTimersByTimeAsync(Date.parse('2026-03-28T08:00:00Z') - Date.now())
    expect(ran.map((run) => new Date(run.at).toISOString())).toEqual(['2026-03-28T08:00:00.000Z'])
    expect((await service.list()).jobs[0]?.state.nextRunAtMs).toBe(Date.parse('2026-03-29T07:00:00Z'))
    await vi.advanceTimersByTimeAsync(Date.parse('2026-03-29T07:00:00Z') - Date.now())
    expect(ran.map((run) => new Date(run.at).toISOString())).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z'])
  })

  it('refuses an invalid expression or zone', async () => {
    const { service } = makeService(storage)
    await service.start()
    await expect(add(service, { name: 'c', schedule: { expr: 'not a cron' }, payload: { kind: 'systemEvent', text: 'x' } })).rejects.toThrow(/five, six, or seven/)
    await expect(add(service, { name: 'c', schedule: { expr: '* * * * *', tz: 'Mars/Olympus' }, payload: { kind: 'systemEvent', text: 'x' } })).rejects.toThrow(/invalid time zone/)
  })

  it('answers list and status while a job is running (the store lock is not held during runs)', async () => {
    let release!: () => void
    const { service } = makeService(storage, { execute: () => new Promise((resolve) => (release = () => resolve({ status: 'ok' }))) })
    await service.start()
    const job = await add(service, { name: 'slow', schedule: { everyMs: 1_000 }, payload: { kind: 'systemEvent', text: 'x' } })
    await vi.advanceTimersByTimeAsync(1_000)
    const listed = await service.list()
    expect(listed.jobs[0]?.state.runningAtMs).toBe(START + 1_000)
    expect(await service.run(job.id, 'force')).toEqual({ ok: true, ran: false, reason: 'already-running' })
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect((await service.list()).jobs[0]?.state).toMatchObject({ lastStatus: 'ok', nextRunAtMs: START + 2_000 })
  })

  it('runs a job on demand: due mode says not-due, force runs it and resolves after it finished', async () => {
    const { service, ran } = makeService(storage)
    await service.start()
    const job = await add(service, { name: 'n', schedule: { everyMs: 3_600_000 }, payload: { kind: 'systemEvent', text: 'x' } })
    expect(await service.run(job.id)).toEqual({ ok: true, ran: false, reason: 'not-due' })
    expect(await service.run(job.id, 'force')).toEqual({ ok: true, ran: true })
    expect(ran).toHaveLength(1)
    await expect(service.run('nope', 'force')).rejects.toThrow('unknown cron job id: nope')
  })

  it('clears a running marker older than two hours at start, keeps a younger one', async () => {
    const jobs = [
      { id: 'old', name: 'a', enabled: true, createdAtMs: 0, updatedAtMs: 0, schedule: { kind: 'every', everyMs: 1000 }, sessionTarget: 'main', wakeMode: 'now', payload: { kind: 'systemEvent', text: 'x' }, state: { runningAtMs: START - 3 * 3_600_000 } },
      { id: 'young', name: 'b', enabled: true, createdAtMs: 0, updatedAtMs: 0, schedule: { kind: 'every', everyMs: 1000 }, sessionTarget: 'main', wakeMode: 'now', payload: { kind: 'systemEvent', text: 'x' }, state: { runningAtMs: START - 60_000 } },
    ]
    await storage.setItemRaw('cron:jobs.json', JSON.stringify({ version: 1, jobs }))
    const { service, logs, ran } = makeService(storage)
    await service.start()
    expect(logs).toContain('cron: clearing stuck running marker')
    await vi.advanceTimersByTimeAsync(1_000)
    expect(ran.map((run) => run.id)).toEqual(['old'])
  })

  it('loads an upstream jobs.json written as JSON5 and names legacy jobs', async () => {
    await storage.setItemRaw(
      'cron:jobs.json',
      `{version: 1, jobs: [{id: 'j1', name: '', enabled: false, createdAtMs: 1, updatedAtMs: 1, schedule: {kind: 'cron', expr: '0 8 * * 1-5'},
        sessionTarget: 'isolated', wakeMode: 'now', payload: {kind: 'agentTurn', message: '', provider: 'Discord'}, state: {}},]}`,
    )
    const { service } = makeService(storage)
    await service.start()
    const [job] = (await service.list(true)).jobs
    expect(job).toMatchObject({ id: 'j1', name: 'Cron: 0 8 * * 1-5', payload: { kind: 'agentTurn', channel: 'discord' } })
    expect(job?.payload).not.toHaveProperty('provider')
  })

  it('with the scheduler off, keeps answering but never runs, and says so once', async () => {
    const { service, ran, logs } = makeService(storage, { enabled: false })
    await service.start()
    await add(service, { name: 'x', schedule: { everyMs: 1_000 }, payload: { kind: 'systemEvent', text: 'x' } })
    await add(service, { name: 'y', schedule: { everyMs: 1_000 }, payload: { kind: 'systemEvent', text: 'x' } })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(ran).toHaveLength(0)
    expect(await service.status()).toEqual({ enabled: false, storePath: '/data/cron/jobs.json', jobs: 2, nextWakeAtMs: null })
    expect(logs.filter((line) => line === 'cron: scheduler disabled; jobs will not run automatically')).toHaveLength(1)
    expect(logs).toContain('cron: disabled')
  })
})
