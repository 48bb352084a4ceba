import { afterEach, describe, expect, it } from 'vitest'
import { anthropicReply } from '../helpers/fake-anthropic-server.js'
import { lastUserText } from '../helpers/runtime-fixture.js'
import { sampleConfig, START, startAutomationGateway } from './automation-harness.js'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function gateway(options: Parameters<typeof startAutomationGateway>[0] = {}) {
  const started = await startAutomationGateway({ configText: sampleConfig((config) => (config.agents.defaults.heartbeat = { every: '0m' })), ...options })
  cleanups.push(() => started.close())
  return started
}

const GENERAL = '500000000000000001'

describe("the upstream Control UI's Cron tab against our gateway (frame level)", () => {
  it('answers status, add, list, update, run, runs and remove with upstream shapes, and sends cron events', async () => {
    const gw = await gateway()
    const ui = await gw.client()
    expect((await ui.request('cron.status', {})).payload).toEqual({ enabled: true, storePath: '/state/cron/jobs.json', jobs: 0, nextWakeAtMs: null })

    // Exactly what the UI's form sends for an isolated job every 2 hours with delivery.
    const added = await ui.request('cron.add', {
      name: 'Digest',
      description: 'daily notes',
      enabled: true,
      schedule: { kind: 'every', everyMs: 7_200_000 },
      sessionTarget: 'isolated',
      wakeMode: 'next-heartbeat',
      payload: { kind: 'agentTurn', message: 'Summarise my notes', deliver: true, channel: 'discord', to: `channel:${GENERAL}`, timeoutSeconds: 60 },
      isolation: { postToMainPrefix: 'Cron' },
    })
    expect(added.ok).toBe(true)
    const job = added.payload
    expect(job).toMatchObject({
      name: 'Digest',
      description: 'daily notes',
      enabled: true,
      createdAtMs: START,
      updatedAtMs: START,
      schedule: { kind: 'every', everyMs: 7_200_000 },
      state: { nextRunAtMs: START + 7_200_000 },
    })
    expect(job.id).toMatch(/^[0-9a-f-]{36}$/)
    const addedEvent = await ui.waitFor((frame) => frame.event === 'cron' && frame.payload.action === 'added')
    expect(addedEvent.payload).toEqual({ jobId: job.id, action: 'added', nextRunAtMs: START + 7_200_000 })
    expect((await ui.request('cron.status', {})).payload).toEqual({ enabled: true, storePath: '/state/cron/jobs.json', jobs: 1, nextWakeAtMs: START + 7_200_000 })
    expect((await ui.request('cron.list', { includeDisabled: true })).payload).toEqual({ jobs: [job] })

    const paused = await ui.request('cron.update', { id: job.id, patch: { enabled: false } })
    expect(paused.payload).toMatchObject({ id: job.id, enabled: false })
    expect(paused.payload.state.nextRunAtMs).toBeUndefined()
    expect((await ui.request('cron.list', {})).payload).toEqual({ jobs: [] })
    await ui.waitFor((frame) => frame.event === 'cron' && frame.payload.action === 'updated')

    gw.anthropic.script(anthropicReply(['Your notes: all quiet.']))
    expect((await ui.request('cron.run', { id: job.id, mode: 'force' })).payload).toEqual({ ok: true, ran: true })
    expect(lastUserText(gw.anthropic.requests[0]!.body)).toMatch(new RegExp(`^\\[cron:${job.id} Digest\\] Summarise my notes\\nCurrent time: 2026-01-12 12:00:00 UTC \\(UTC\\)$`))
    const sent = await gw.discord.waitFor((call) => call.method === 'POST' && call.path === `/channels/${GENERAL}/messages`)
    expect(sent.body.content).toBe('Your notes: all quiet.')
    const finished = await ui.waitFor((frame) => frame.event === 'cron' && frame.payload.action === 'finished')
    expect(finished.payload).toEqual({ jobId: job.id, action: 'finished', status: 'ok', summary: 'Your notes: all quiet.', runAtMs: START, durationMs: 0 })
    expect((await ui.request('cron.runs', { id: job.id, limit: 50 })).payload).toEqual({
      entries: [{ ts: START, jobId: job.id, action: 'finished', status: 'ok', summary: 'Your notes: all quiet.', runAtMs: START, durationMs: 0 }],
    })

    expect((await ui.request('cron.remove', { id: job.id })).payload).toEqual({ ok: true, removed: true })
    expect((await ui.request('cron.remove', { id: job.id })).payload).toEqual({ ok: true, removed: false })
    await ui.waitFor((frame) => frame.event === 'cron' && frame.payload.action === 'removed')
  })

  it('reports errors the way upstream does', async () => {
    const gw = await gateway()
    const ui = await gw.client()
    const mismatch = await ui.request('cron.add', { name: 'x', sessionTarget: 'main', schedule: { kind: 'every', everyMs: 1000 }, payload: { kind: 'agentTurn', message: 'm' } })
    expect(mismatch.error).toEqual({ code: 'UNAVAILABLE', message: 'Error: main cron jobs require payload.kind="systemEvent"' })
    const unknownKey = await ui.request('cron.add', { name: 'x', schedule: { kind: 'every', everyMs: 1000 }, payload: { kind: 'systemEvent', text: 't' }, colour: 'red' })
    expect(unknownKey.error?.code).toBe('INVALID_REQUEST')
    expect(unknownKey.error?.message).toMatch(/^invalid cron\.add params: /)
    expect((await ui.request('cron.update', { patch: { enabled: false } })).error).toEqual({ code: 'INVALID_REQUEST', message: 'invalid cron.update params: missing id' })
    expect((await ui.request('cron.runs', {})).error).toEqual({ code: 'INVALID_REQUEST', message: 'invalid cron.runs params: missing id' })
    expect((await ui.request('cron.run', { id: 'nope', mode: 'force' })).error).toEqual({ code: 'UNAVAILABLE', message: 'Error: unknown cron job id: nope' })
    const wrongKind = await ui.request('cron.add', { name: 'x', schedule: { kind: 'every', everyMs: 1000 }, payload: { kind: 'systemEvent', text: 't' } })
    const changed = await ui.request('cron.update', { id: wrongKind.payload.id, patch: { sessionTarget: 'isolated', payload: { kind: 'agentTurn' } } })
    expect(changed.error).toEqual({ code: 'UNAVAILABLE', message: 'Error: cron.update payload.kind="agentTurn" requires message' })
    expect((await ui.request('set-heartbeats', { enabled: 'yes' })).error).toEqual({ code: 'INVALID_REQUEST', message: 'invalid set-heartbeats params: enabled (boolean) required' })
    expect((await ui.request('set-heartbeats', { enabled: false })).payload).toEqual({ ok: true, enabled: false })
    expect((await ui.request('wake', { mode: 'now', text: '   ' })).payload).toEqual({ ok: false })
    expect((await ui.request('wake', { mode: 'next-heartbeat', text: 'check the calendar' })).payload).toEqual({ ok: true })
    expect((await ui.request('last-heartbeat', {})).payload).toBeNull()
  })

  it('previews the next three occurrences of a cron expression in its zone', async () => {
    const gw = await gateway()
    const ui = await gw.client()
    const preview = await ui.request('cron.preview', { schedule: { kind: 'cron', expr: '0 8 * * 1-5', tz: 'America/New_York' } })
    expect(preview.payload.nextRuns.map((ms: number) => new Date(ms).toISOString())).toEqual(['2026-01-12T13:00:00.000Z', '2026-01-13T13:00:00.000Z', '2026-01-14T13:00:00.000Z'])
    expect((await ui.request('cron.preview', { schedule: { kind: 'cron', expr: 'nope' } })).error?.code).toBe('UNAVAILABLE')
  })
})
