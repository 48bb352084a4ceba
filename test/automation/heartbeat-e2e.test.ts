import { afterEach, describe, expect, it } from 'vitest'
import { anthropicReply } from '../helpers/fake-anthropic-server.js'
import { lastUserText } from '../helpers/runtime-fixture.js'
import { sampleConfig, START, startAutomationGateway } from './automation-harness.js'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const GENERAL = '500000000000000001'
const MINUTE = 60_000
const HEARTBEAT_FILE = '/state/workspace/HEARTBEAT.md'
const isGeneralPost = (call: { method: string; path: string }) => call.method === 'POST' && call.path === `/channels/${GENERAL}/messages`

async function gateway(heartbeat: Record<string, unknown>, files: Record<string, string> = { [HEARTBEAT_FILE]: '# Tasks\n- check the build\n' }, extra: (config: any) => void = () => {}) {
  const started = await startAutomationGateway({
    configText: sampleConfig((config) => {
      config.agents.defaults.heartbeat = heartbeat
      extra(config)
    }),
    files,
  })
  cleanups.push(() => started.close())
  return started
}

describe('heartbeat (fake clock, fake model, fake Discord)', () => {
  it('vector 5: an ack (**HEARTBEAT_OK**) sends nothing; the token plus 301 characters is delivered without it', async () => {
    const gw = await gateway({ every: '30m', target: 'discord', to: `channel:${GENERAL}` })
    const ui = await gw.client()
    gw.anthropic.script(anthropicReply(['**HEARTBEAT_OK**']))
    await gw.clock.advance(30 * MINUTE - 1)
    expect(gw.anthropic.requests).toHaveLength(0)
    await gw.clock.advance(1)
    const ok = await ui.waitFor((frame) => frame.event === 'heartbeat')
    expect(ok.payload).toEqual({ ts: START + 30 * MINUTE, status: 'ok-token', reason: 'interval', durationMs: 0, to: `channel:${GENERAL}`, channel: 'discord', silent: true, indicatorType: 'ok' })
    expect(lastUserText(gw.anthropic.requests[0]!.body)).toBe(
      'Read HEARTBEAT.md if it exists (workspace context). Follow it strictly. Do not infer or repeat old tasks from prior chats. If nothing needs attention, reply HEARTBEAT_OK.',
    )
    expect(gw.discord.calls.filter(isGeneralPost)).toHaveLength(0)
    expect((await ui.request('last-heartbeat', {})).payload).toEqual(ok.payload)

    const long = `The build is red: ${'x'.repeat(283)}`
    expect(long.length).toBe(301)
    gw.anthropic.script(anthropicReply([`HEARTBEAT_OK ${long}`]))
    await gw.clock.advance(30 * MINUTE)
    const posted = await gw.discord.waitFor(isGeneralPost)
    expect(posted.body.content).toBe(long)
    const sent = await ui.waitFor((frame) => frame.event === 'heartbeat' && frame.payload.status === 'sent')
    expect(sent.payload).toMatchObject({ status: 'sent', to: `channel:${GENERAL}`, channel: 'discord', preview: long.slice(0, 200), indicatorType: 'alert' })
  })

  it('vector 6: an effectively empty HEARTBEAT.md skips the model call with event skipped/empty-heartbeat-file', async () => {
    const gw = await gateway({ every: '30m', target: 'discord', to: `channel:${GENERAL}` }, { [HEARTBEAT_FILE]: '# Title\n- [ ]\n' })
    const ui = await gw.client()
    await gw.clock.advance(30 * MINUTE)
    const event = await ui.waitFor((frame) => frame.event === 'heartbeat')
    expect(event.payload).toEqual({ ts: START + 30 * MINUTE, status: 'skipped', reason: 'empty-heartbeat-file' })
    expect(gw.anthropic.requests).toHaveLength(0)
  })

  it('keeps quiet outside active hours and while paused by set-heartbeats, with no event', async () => {
    // 12:00 UTC start; the window is 13:00–14:00 in UTC.
    const gw = await gateway({ every: '30m', target: 'discord', to: `channel:${GENERAL}`, activeHours: { start: '13:00', end: '14:00', timezone: 'UTC' } })
    const ui = await gw.client()
    await gw.clock.advance(30 * MINUTE)
    expect(gw.anthropic.requests).toHaveLength(0)
    gw.anthropic.script(anthropicReply(['HEARTBEAT_OK']))
    await gw.clock.advance(30 * MINUTE)
    await ui.waitFor((frame) => frame.event === 'heartbeat' && frame.payload.status === 'ok-token')
    expect(gw.anthropic.requests).toHaveLength(1)
    expect(ui.received.filter((frame) => frame.event === 'heartbeat')).toHaveLength(1)

    expect((await ui.request('set-heartbeats', { enabled: false })).payload).toEqual({ ok: true, enabled: false })
    await gw.clock.advance(60 * MINUTE)
    expect(gw.anthropic.requests).toHaveLength(1)
    gw.anthropic.script(anthropicReply(['HEARTBEAT_OK']))
    await ui.request('set-heartbeats', { enabled: true })
    // Resumed outside the window (14:00 on): still nothing.
    await gw.clock.advance(60 * MINUTE)
    expect(gw.anthropic.requests).toHaveLength(1)
  })

  it('sends the same alert only once within 24 hours, and sends OKs when showOk is on', async () => {
    const gw = await gateway({ every: '30m', target: 'discord', to: `channel:${GENERAL}` }, undefined, (config) => (config.channels.defaults = { heartbeat: { showOk: true } }))
    const ui = await gw.client()
    gw.anthropic.script(anthropicReply(['The build is red.']), anthropicReply(['The build is red.']), anthropicReply(['HEARTBEAT_OK']))
    await gw.clock.advance(30 * MINUTE)
    await ui.waitFor((frame) => frame.event === 'heartbeat' && frame.payload.status === 'sent')
    await gw.clock.advance(30 * MINUTE)
    const duplicate = await ui.waitFor((frame) => frame.event === 'heartbeat' && frame.payload.status === 'skipped')
    expect(duplicate.payload).toMatchObject({ reason: 'duplicate', preview: 'The build is red.' })
    await gw.clock.advance(30 * MINUTE)
    const ok = await ui.waitFor((frame) => frame.event === 'heartbeat' && frame.payload.status === 'ok-token')
    expect(ok.payload).toMatchObject({ silent: false, indicatorType: 'ok' })
    const posts = gw.discord.calls.filter(isGeneralPost).map((call) => call.body.content)
    expect(posts).toEqual(['The build is red.', 'HEARTBEAT_OK'])
  })

  it('is off without an interval: no timer, no model call', async () => {
    const gw = await gateway({ every: '0m' })
    await gw.clock.advance(24 * 60 * MINUTE)
    expect(gw.anthropic.requests).toHaveLength(0)
  })

  it('keeps its cadence across a restart and does not catch up missed beats', async () => {
    const gw = await gateway({ every: '30m', target: 'discord', to: `channel:${GENERAL}` })
    gw.anthropic.script(() => anthropicReply(['HEARTBEAT_OK']))
    await gw.clock.advance(30 * MINUTE)
    await expect.poll(() => gw.anthropic.requests.length).toBe(1)
    await gw.clock.advance(10 * MINUTE)
    await gw.restart()
    // Last beat at 12:30, so the next is 13:00, not 30 minutes after the restart at 12:40.
    await gw.clock.advance(20 * MINUTE)
    await expect.poll(() => gw.anthropic.requests.length).toBe(2)
    gw.automation.stop()
    await gw.clock.advance(3 * 60 * MINUTE)
    await gw.restart()
    await gw.clock.advance(29 * MINUTE)
    expect(gw.anthropic.requests).toHaveLength(2)
    await gw.clock.advance(MINUTE)
    await expect.poll(() => gw.anthropic.requests.length).toBe(3)
  })
})

describe('heartbeat and cron follow config edits (hot reload)', () => {
  it('applies a new heartbeat interval and a cron switch-off while idle', async () => {
    const gw = await gateway({ every: '2h', target: 'discord', to: `channel:${GENERAL}` })
    const ui = await gw.client()
    const job = (await ui.request('cron.add', { name: 'n', wakeMode: 'next-heartbeat', schedule: { kind: 'every', everyMs: 30 * MINUTE }, payload: { kind: 'systemEvent', text: 'x' } })).payload
    // The runtime's reloader swaps the config object; here the same happens by hand.
    const edited = structuredClone(gw.deps.state.config)
    edited.agents!.defaults!.heartbeat = { every: '10m', target: 'discord', to: `channel:${GENERAL}` }
    ;(edited as { cron?: unknown }).cron = { enabled: false }
    gw.deps.state.config = edited
    gw.anthropic.script(() => anthropicReply(['HEARTBEAT_OK']))
    await gw.clock.advance(10 * MINUTE)
    await expect.poll(() => gw.anthropic.requests.length).toBeGreaterThanOrEqual(1)
    expect((await ui.request('cron.status', {})).payload).toMatchObject({ enabled: false, jobs: 1, nextWakeAtMs: null })
    await gw.clock.advance(30 * MINUTE)
    expect((await ui.request('cron.runs', { id: job.id })).payload.entries).toEqual([])
  })
})
