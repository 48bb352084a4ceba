import { afterEach, describe, expect, it } from 'vitest'
import { approvePairing } from '../../src/channels/pairing-store.js'
import { discordPairingKey } from '../../src/storage/keys.js'
import { createHarness, dmCommand, FLY_SAMPLE_CONFIG, GUILD_ID, guildCommand } from './discord-harness.js'

type Harness = Awaited<ReturnType<typeof createHarness>>
let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const ask = (prompt: string) => [{ name: 'prompt', type: 3, value: prompt }]
const GENERAL = { id: '500000000000000001', name: 'general', type: 0 }
const RANDOM = { id: '500000000000000002', name: 'random', type: 0 }

async function finishRun(current: Harness): Promise<void> {
  ;(await current.runner.nextRun()).end({ text: 'ok' })
  await current.settle()
}

describe('spec vector 5: the Fly sample config with guild G', () => {
  it('allows /ask in #general with a public deferred reply', async () => {
    harness = await createHarness({ configText: FLY_SAMPLE_CONFIG })
    const response = await harness.post(guildCommand('ask', ask('hello'), GENERAL))
    expect(await response.json()).toEqual({ type: 5 })
    await finishRun(harness)
    expect(harness.runner.sent[0]).toMatchObject({
      agentId: 'main',
      sessionKey: `agent:main:discord:channel:${GENERAL.id}`,
      text: 'hello',
      channel: 'discord',
      chatType: 'channel',
      senderLabel: 'Alice (alice)',
    })
  })

  it('refuses /ask in #random with an ephemeral "This channel is not allowed."', async () => {
    harness = await createHarness({ configText: FLY_SAMPLE_CONFIG })
    const response = await harness.post(guildCommand('ask', ask('hello'), RANDOM))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ type: 4, data: { content: 'This channel is not allowed.', flags: 64 } })
    expect(harness.runner.sent).toHaveLength(0)
  })

  it('denies /status in #general: no dm.allowFrom and no users list means nobody may run commands', async () => {
    harness = await createHarness({ configText: FLY_SAMPLE_CONFIG })
    const response = await harness.post(guildCommand('status', [], GENERAL))
    expect(await response.json()).toMatchObject({ type: 4, data: { content: 'You are not authorized to use this command.', flags: 64 } })
  })

  it('allows /status once the sender is in the channel users list', async () => {
    const config = JSON.parse(FLY_SAMPLE_CONFIG)
    config.channels.discord.guilds[GUILD_ID].channels.general.users = ['alice']
    harness = await createHarness({ configText: JSON.stringify(config) })
    const response = await harness.post(guildCommand('status', [], GENERAL))
    expect(await response.json()).toEqual({ type: 5, data: { flags: 64 } })
    await harness.settle()
    const edit = await harness.server.waitFor((call) => call.method === 'PATCH' && call.path.endsWith('/messages/@original'))
    expect(edit.body.content).toContain('model `anthropic/claude-opus-4-5`')
  })
})

describe('spec vector 6: groupPolicy defaults', () => {
  it('refuses every guild interaction with channels.discord: {} and no guilds', async () => {
    harness = await createHarness({ configText: JSON.stringify({ channels: { discord: {} } }) })
    for (const channel of [GENERAL, RANDOM]) {
      const response = await harness.post(guildCommand('ask', ask('hi'), channel))
      expect(await response.json()).toMatchObject({ type: 4, data: { content: 'This channel is not allowed.', flags: 64 } })
    }
  })

  it('allows guild interactions with only DISCORD_BOT_TOKEN, and warns about it', async () => {
    harness = await createHarness({ configText: '{}' })
    const response = await harness.post(guildCommand('ask', ask('hi'), RANDOM))
    expect(await response.json()).toEqual({ type: 5 })
    await finishRun(harness)
    expect(harness.records.map((record) => record.message)).toContain(
      'groupPolicy defaults to "open" when channels.discord is missing; set channels.discord.groupPolicy (or channels.defaults.groupPolicy) or add channels.discord.guilds to restrict access.',
    )
  })
})

describe('guild and channel matching', () => {
  it('matches a guild keyed by the slug of its name, looked up once over REST', async () => {
    harness = await createHarness({ configText: JSON.stringify({ channels: { discord: { guilds: { 'my-server': { channels: { general: {} } } } } } }) })
    harness.server.guilds.set(GUILD_ID, { name: 'My Server!' })
    expect(await (await harness.post(guildCommand('ask', ask('a'), GENERAL))).json()).toEqual({ type: 5 })
    await finishRun(harness)
    expect(await (await harness.post(guildCommand('ask', ask('b'), RANDOM))).json()).toMatchObject({ type: 4 })
    expect(harness.server.calls.filter((call) => call.path === `/guilds/${GUILD_ID}`)).toHaveLength(1)
  })

  it('lets a thread fall back to its parent channel entry, keyed by the parent name', async () => {
    harness = await createHarness({ configText: FLY_SAMPLE_CONFIG })
    harness.server.channels.set(GENERAL.id, { name: 'general' })
    const thread = { id: '500000000000000009', name: 'a thread', type: 11, parent_id: GENERAL.id }
    expect(await (await harness.post(guildCommand('ask', ask('in thread'), thread))).json()).toEqual({ type: 5 })
    await finishRun(harness)
    expect(harness.runner.sent[0]?.sessionKey).toBe(`agent:main:discord:channel:${thread.id}`)
    expect(harness.runner.sent[0]?.sessionMeta).toMatchObject({ parentSessionKey: `agent:main:discord:channel:${GENERAL.id}` })
  })

  it('says "This channel is disabled." for enabled:false', async () => {
    harness = await createHarness({ configText: JSON.stringify({ channels: { discord: { guilds: { '*': { channels: { general: { enabled: false } } } } } } }) })
    expect(await (await harness.post(guildCommand('ask', ask('x'), GENERAL))).json()).toMatchObject({ data: { content: 'This channel is disabled.' } })
  })

  it('passes the channel systemPrompt and topic to the run', async () => {
    harness = await createHarness({ configText: JSON.stringify({ channels: { discord: { guilds: { '*': { channels: { general: { systemPrompt: 'Be brief.' } } } } } } }) })
    await harness.post(guildCommand('ask', ask('x'), { ...GENERAL, topic: 'Chit-chat' }))
    await finishRun(harness)
    expect(harness.runner.sent[0]?.groupChat).toEqual({ topic: 'Chit-chat', systemPrompt: 'Be brief.' })
  })
})

describe('DM policy', () => {
  it('pairs an unknown DM sender: ephemeral code, then approval lets them in', async () => {
    harness = await createHarness({ configText: JSON.stringify({ channels: { discord: { dm: { policy: 'pairing' } } } }) })
    const first = (await (await harness.post(dmCommand('ask', ask('hi')))).json()) as { type: number; data: { content: string; flags: number } }
    expect(first.type).toBe(4)
    expect(first.data.flags).toBe(64)
    const code = /Pairing code: ([A-Z2-9]{8})/.exec(first.data.content)?.[1] as string
    expect(first.data.content).toBe(
      `Moltbot: access not configured.\n\nYour Discord user id: 600000000000000001\n\nPairing code: ${code}\n\nAsk the bot owner to approve with:\nnode dist/index.js pairing approve discord ${code}`,
    )
    const stored = (await harness.deps.storage.getItem(discordPairingKey())) as { version: number; requests: Array<{ id: string; code: string }> }
    expect(stored).toMatchObject({ version: 1, requests: [{ id: '600000000000000001', code }] })

    expect(await approvePairing(harness.deps.storage, code.toLowerCase(), harness.deps.now())).toEqual({ ok: true, userId: '600000000000000001' })
    expect(await (await harness.post(dmCommand('ask', ask('hi again')))).json()).toEqual({ type: 5 })
    await finishRun(harness)
    expect(harness.runner.sent[0]).toMatchObject({ sessionKey: 'agent:main:main', chatType: 'direct', text: 'hi again' })
  })

  it('refuses DMs under policy disabled with "Discord DMs are disabled."', async () => {
    harness = await createHarness({ configText: JSON.stringify({ channels: { discord: { dm: { policy: 'disabled' } } } }) })
    expect(await (await harness.post(dmCommand('ask', ask('x')))).json()).toMatchObject({ data: { content: 'Discord DMs are disabled.', flags: 64 } })
  })

  it('refuses a sender outside dm.allowFrom under allowlist without pairing', async () => {
    harness = await createHarness({ configText: JSON.stringify({ channels: { discord: { dm: { policy: 'allowlist', allowFrom: ['someone-else'] } } } }) })
    expect(await (await harness.post(dmCommand('ask', ask('x')))).json()).toMatchObject({ data: { content: 'You are not authorized to use this command.' } })
  })
})
