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
const isGeneralPost = (call: { method: string; path: string }) => call.method === 'POST' && call.path === `/channels/${GENERAL}/messages`

async function gateway(extra: (config: any) => void = () => {}, files: Record<string, string> = {}) {
  const started = await startAutomationGateway({
    configText: sampleConfig((config) => {
      config.agents.defaults.heartbeat = { every: '0m' }
      extra(config)
    }),
    files,
  })
  cleanups.push(() => started.close())
  return started
}

describe('reminders end to end (fake clock, fake model, fake Discord)', () => {
  it('delivers "remind me in 20 minutes to stretch" to the Discord channel 20 minutes later, across a restart', async () => {
    const gw = await gateway()
    const ui = await gw.client()
    const added = await ui.request('cron.add', {
      name: 'stretch',
      deleteAfterRun: true,
      schedule: { kind: 'at', atMs: START + 20 * MINUTE },
      payload: { kind: 'agentTurn', message: 'Remind the user to stretch.', deliver: true, channel: 'discord', to: `channel:${GENERAL}` },
    })
    expect(added.payload).toMatchObject({ sessionTarget: 'isolated', state: { nextRunAtMs: START + 20 * MINUTE } })
    expect(gw.clock.wakeAts).toContain(START + 20 * MINUTE)

    await gw.clock.advance(10 * MINUTE)
    await gw.restart()
    expect(gw.discord.calls.filter(isGeneralPost)).toHaveLength(0)
    gw.anthropic.script(anthropicReply(['Time to stretch! 🧘']))
    await gw.clock.advance(10 * MINUTE - 1)
    expect(gw.anthropic.requests).toHaveLength(0)
    await gw.clock.advance(1)
    const posted = await gw.discord.waitFor(isGeneralPost)
    expect(posted.body).toEqual({ content: 'Time to stretch! 🧘', allowed_mentions: { parse: [] } })
    expect(lastUserText(gw.anthropic.requests[0]!.body)).toContain('Remind the user to stretch.')
    // A one-shot with deleteAfterRun is gone once it succeeded.
    await expect.poll(async () => (await gw.automation.cron().list(true)).jobs).toEqual([])
  })

  it('runs an overdue one-shot once right after a boot that came too late', async () => {
    const gw = await gateway()
    const ui = await gw.client()
    await ui.request('cron.add', { name: 'late', schedule: { kind: 'at', atMs: START + MINUTE }, payload: { kind: 'agentTurn', message: 'ping', to: `channel:${GENERAL}`, channel: 'discord' } })
    gw.automation.stop()
    // Down for an hour: the job is overdue when the gateway comes back.
    await gw.clock.advance(60 * MINUTE)
    gw.anthropic.script(anthropicReply(['pong']))
    await gw.restart()
    await gw.clock.advance(0)
    expect((await gw.discord.waitFor(isGeneralPost)).body.content).toBe('pong')
    await expect.poll(async () => (await gw.automation.cron().list(true)).jobs[0]).toMatchObject({ enabled: false, state: { lastStatus: 'ok', lastRunAtMs: START + 60 * MINUTE } })
  })

  it('records a failed delivery in the job state and the run log', async () => {
    const gw = await gateway()
    const ui = await gw.client()
    const job = (await ui.request('cron.add', { name: 'x', schedule: { kind: 'every', everyMs: MINUTE }, payload: { kind: 'agentTurn', message: 'go', deliver: true, channel: 'discord', to: `channel:${GENERAL}` } })).payload
    gw.discord.fail(isGeneralPost, 403, { message: 'Missing Access', code: 50001 })
    gw.anthropic.script(anthropicReply(['hello']))
    await gw.clock.advance(MINUTE)
    const finished = await ui.waitFor((frame) => frame.event === 'cron' && frame.payload.action === 'finished')
    expect(finished.payload).toMatchObject({ jobId: job.id, status: 'error' })
    expect(finished.payload.error).toMatch(/^delivery failed: .*Missing Access/)
    const runs = (await ui.request('cron.runs', { id: job.id })).payload.entries
    expect(runs[0]).toMatchObject({ status: 'error', error: finished.payload.error })
    expect((await ui.request('cron.list', {})).payload.jobs[0].state).toMatchObject({ lastStatus: 'error', lastError: finished.payload.error, nextRunAtMs: START + 2 * MINUTE })
  })

  it('delivers a reminder into the Control UI session it was asked from (channel "last")', async () => {
    const gw = await gateway()
    const ui = await gw.client()
    gw.anthropic.script(anthropicReply(['Sure, I will remind you.']))
    const sent = await ui.request('chat.send', { sessionKey: 'main', message: 'remind me in 2 minutes to drink water', idempotencyKey: 'run-1' })
    expect(sent.ok).toBe(true)
    await ui.waitFor((frame) => frame.event === 'chat' && frame.payload.state === 'final' && frame.payload.runId === 'run-1')
    await ui.request('cron.add', { name: 'water', schedule: { kind: 'at', atMs: START + 2 * MINUTE }, payload: { kind: 'agentTurn', message: 'Remind the user to drink water.', deliver: true } })
    gw.anthropic.script(anthropicReply(['💧 Time to drink some water.']))
    await gw.clock.advance(2 * MINUTE)
    const delivered = await ui.waitFor((frame) => frame.event === 'chat' && frame.payload.state === 'final' && frame.payload.runId !== 'run-1')
    expect(delivered.payload).toMatchObject({ sessionKey: 'main', message: { role: 'assistant', content: [{ type: 'text', text: '💧 Time to drink some water.' }] } })
    const history = await ui.request('chat.history', { sessionKey: 'main' })
    const texts = history.payload.messages.map((message: any) => message.content?.[0]?.text)
    expect(texts.at(-1)).toBe('💧 Time to drink some water.')
  })

  it('a main-session reminder with wakeMode "now" reaches the model as a system event and the reply goes to the last route', async () => {
    const gw = await gateway((config) => (config.channels.discord.dm = { policy: 'open', allowFrom: ['*'] }))
    const ui = await gw.client()
    // The main session was last used from a Discord DM (dmScope main), so its last route is that DM.
    gw.anthropic.script(anthropicReply(['Hi Bob']))
    await gw.interaction({
      type: 2,
      data: { id: '1', name: 'ask', type: 1, options: [{ name: 'prompt', type: 3, value: 'hello' }] },
      channel_id: '400000000000000001',
      channel: { id: '400000000000000001', type: 1 },
      user: { id: '600000000000000001', username: 'bob', global_name: 'Bob', discriminator: '0' },
      context: 1,
      authorizing_integration_owners: { '0': '0' },
    })
    await gw.discord.waitFor((call) => call.method === 'PATCH' && call.path.endsWith('/messages/@original') && call.body.content === 'Hi Bob')
    await expect.poll(async () => gw.automation.agents.activeRun('agent:main:main')).toBeUndefined()
    await ui.request('cron.add', { name: 'tea', wakeMode: 'now', schedule: { kind: 'at', atMs: START + 5 * MINUTE }, payload: { kind: 'systemEvent', text: 'Reminder: the tea is ready' } })
    gw.anthropic.script(anthropicReply(['Your tea is ready! 🍵']))
    await gw.clock.advance(5 * MINUTE)
    const dm = await gw.discord.waitFor((call) => call.method === 'POST' && call.path === '/channels/400000000000000001/messages')
    expect(dm.body.content).toBe('Your tea is ready! 🍵')
    const prompt = lastUserText(gw.anthropic.requests.at(-1)!.body)
    expect(prompt).toMatch(/^System: \[2026-01-12 12:05:00 UTC\] Reminder: the tea is ready\n\nRead HEARTBEAT\.md if it exists/)
  })
})
