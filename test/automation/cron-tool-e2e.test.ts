import { afterEach, describe, expect, it } from 'vitest'
import { anthropicReply, anthropicToolUse } from '../helpers/fake-anthropic-server.js'
import { lastUserText } from '../helpers/runtime-fixture.js'
import { guildCommand } from '../discord/discord-harness.js'
import { sampleConfig, START, startAutomationGateway } from './automation-harness.js'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const GENERAL = '500000000000000001'
const MINUTE = 60_000
const isGeneralPost = (call: { method: string; path: string }) => call.method === 'POST' && call.path === `/channels/${GENERAL}/messages`

async function gateway() {
  const started = await startAutomationGateway({ configText: sampleConfig((config) => (config.agents.defaults.heartbeat = { every: '0m' })) })
  cleanups.push(() => started.close())
  return started
}

const remindCall = (id: string, at = '2m') =>
  anthropicToolUse([
    { id, name: 'cron', input: { action: 'add', job: { name: 'stretch', schedule: { kind: 'at', at }, payload: { kind: 'agentTurn', message: 'Tell the user it is time to stretch.' } }, gatewayUrl: 'http://169.254.169.254/', gatewayToken: 'leak' } },
  ])

describe('the cron tool end to end (fake model calls it, fake clock, fake Discord)', () => {
  it.each([
    ['2 minutes', '2m', 2],
    ['20 minutes', '20m', 20],
  ])('"remind me in %s" in Discord /ask: the model adds the job, and that much later (after a restart) the reminder lands in that channel', async (words, at, minutes) => {
    const gw = await gateway()
    gw.anthropic.script(remindCall('toolu_1', at), anthropicReply([`Okay, I will remind you in ${words}.`]))
    const ack = await gw.interaction(guildCommand('ask', [{ name: 'prompt', type: 3, value: `remind me in ${words} to stretch` }]))
    expect(await ack.json()).toMatchObject({ type: 5 })
    await gw.discord.waitFor((call) => call.method === 'PATCH' && call.path.endsWith('/messages/@original') && call.body.content === `Okay, I will remind you in ${words}.`)

    // The tool result the model got back is the created job, delivered to this channel.
    const toolResult = JSON.stringify(gw.anthropic.requests[1]!.body.messages.at(-1))
    expect(toolResult).toContain(`\\"to\\": \\"channel:${GENERAL}\\"`)
    const [job] = (await gw.automation.cron().list()).jobs
    expect(job).toMatchObject({ name: 'stretch', agentId: 'main', sessionTarget: 'isolated', schedule: { kind: 'at', atMs: START + minutes * MINUTE }, payload: { kind: 'agentTurn', deliver: true, channel: 'discord', to: `channel:${GENERAL}` } })
    expect(gw.discord.calls.filter(isGeneralPost)).toHaveLength(0)

    await gw.clock.advance(MINUTE)
    await gw.restart()
    gw.anthropic.script(anthropicReply(['⏰ Time to stretch!']))
    await gw.clock.advance((minutes - 1) * MINUTE - 1)
    expect(gw.discord.calls.filter(isGeneralPost)).toHaveLength(0)
    await gw.clock.advance(1)
    const posted = await gw.discord.waitFor(isGeneralPost)
    expect(posted.body.content).toBe('⏰ Time to stretch!')
    expect(lastUserText(gw.anthropic.requests.at(-1)!.body)).toContain(`[cron:${job!.id} stretch] Tell the user it is time to stretch.`)
  })

  it('the same through the Control UI: the reminder arrives as a chat message in the session it was asked from', async () => {
    const gw = await gateway()
    const ui = await gw.client()
    gw.anthropic.script(remindCall('toolu_2'), anthropicReply(['Sure, in 2 minutes.']))
    await ui.request('chat.send', { sessionKey: 'main', message: 'remind me in 2 minutes to stretch', idempotencyKey: 'ask-1' })
    await ui.waitFor((frame) => frame.event === 'chat' && frame.payload.runId === 'ask-1' && frame.payload.state === 'final')
    const [job] = (await ui.request('cron.list', {})).payload.jobs
    expect(job.payload).toMatchObject({ deliver: true, channel: 'webchat', to: 'agent:main:main' })

    gw.anthropic.script(anthropicReply(['⏰ Stretch time!']))
    await gw.clock.advance(2 * MINUTE)
    const reminder = await ui.waitFor((frame) => frame.event === 'chat' && frame.payload.state === 'final' && frame.payload.runId !== 'ask-1')
    expect(reminder.payload).toMatchObject({ sessionKey: 'main', message: { content: [{ type: 'text', text: '⏰ Stretch time!' }] } })
  })
})
