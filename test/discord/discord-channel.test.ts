import { afterEach, describe, expect, it } from 'vitest'
import { createDiscordChannel } from '../../src/discord/discord-channel.js'
import { APPLICATION_ID, createHarness } from './discord-harness.js'

type Harness = Awaited<ReturnType<typeof createHarness>>
let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const puts = (current: Harness) => current.server.calls.filter((call) => call.method === 'PUT')

describe('createDiscordChannel().start()', () => {
  it('logs in with only DISCORD_BOT_TOKEN and logs upstream lines in order', async () => {
    harness = await createHarness({ configText: JSON.stringify({ channels: { discord: {} } }) })
    const discordLines = harness.records.filter((record) => record.subsystem === 'discord').map((record) => record.message)
    expect(discordLines.slice(0, 2)).toEqual(['[default] starting provider (@Clawd)', 'logged in to discord as 900000000000000001'])
    expect(harness.server.calls.slice(0, 2).map((call) => `${call.method} ${call.path}`)).toEqual(['GET /users/@me', 'GET /oauth2/applications/@me'])
  })

  it('registers every command with one bulk PUT, and skips it when the set is unchanged', async () => {
    harness = await createHarness()
    expect(puts(harness)).toHaveLength(1)
    const [put] = puts(harness)
    expect(put?.path).toBe(`/applications/${APPLICATION_ID}/commands`)
    const names = (put?.body as Array<{ name: string; type: number; contexts: number[]; integration_types: number[] }>).map((command) => command.name)
    expect(names).toEqual(['ask', 'Ask Clawd', 'new', 'reset', 'model', 'status', 'stop', 'help'])
    expect(put?.body[0]).toMatchObject({ contexts: [0, 1, 2], integration_types: [0, 1] })
    expect(put?.body[0].options.map((option: { name: string; type: number }) => [option.name, option.type])).toEqual([['prompt', 3], ['file', 11], ['private', 5]])

    await harness.channel.start()
    expect(puts(harness)).toHaveLength(1)
    expect(harness.channel.status().commandsRegistered).toBe(8)
  })

  it('sends an empty PUT when native commands are off', async () => {
    harness = await createHarness({ configText: JSON.stringify({ commands: { native: false } }) })
    expect(puts(harness)[0]?.body).toEqual([])
  })

  it('registers guild-scoped commands (without contexts) for DISCORD_COMMAND_GUILD_IDS', async () => {
    harness = await createHarness({ env: { DISCORD_COMMAND_GUILD_IDS: '111, 222' } })
    expect(puts(harness).map((call) => call.path)).toEqual([
      `/applications/${APPLICATION_ID}/guilds/111/commands`,
      `/applications/${APPLICATION_ID}/guilds/222/commands`,
    ])
    expect(puts(harness)[0]?.body[0].contexts).toBeUndefined()
  })

  it('sets the interactions endpoint URL from the runtime public URL when opted in', async () => {
    harness = await createHarness({ env: { DISCORD_SET_INTERACTIONS_URL: '1' }, start: false })
    harness.deps.publicUrl = () => 'https://my-clawdbot.fly.dev/'
    await harness.channel.start()
    const patch = harness.server.calls.find((call) => call.method === 'PATCH' && call.path === '/applications/@me')
    expect(patch?.body).toEqual({ interactions_endpoint_url: 'https://my-clawdbot.fly.dev/discord/interactions' })
  })

  it('takes the interactions URL and the opt-in from the config', async () => {
    harness = await createHarness({
      configText: JSON.stringify({ channels: { discord: { setInteractionsUrl: true, interactionsUrl: 'https://bot.example.com/discord/interactions' } } }),
      start: false,
    })
    harness.deps.publicUrl = () => 'https://ignored-when-configured.fly.dev'
    await harness.channel.start()
    const patch = harness.server.calls.find((call) => call.method === 'PATCH' && call.path === '/applications/@me')
    expect(patch?.body).toEqual({ interactions_endpoint_url: 'https://bot.example.com/discord/interactions' })
  })

  it('registers commands in each configured guild when registerCommandsPerGuild is set', async () => {
    harness = await createHarness({
      configText: JSON.stringify({
        channels: { discord: { registerCommandsPerGuild: true, guilds: { '700000000000000001': {}, 'my-server-slug': {}, '*': {} } } },
      }),
    })
    expect(puts(harness).map((call) => call.path)).toEqual([`/applications/${APPLICATION_ID}/guilds/700000000000000001/commands`])
  })

  it('does not start when channels.discord.enabled is false or the plugin entry is disabled', async () => {
    for (const config of [{ channels: { discord: { enabled: false } } }, { plugins: { entries: { discord: { enabled: false } } } }]) {
      harness = await createHarness({ configText: JSON.stringify(config) })
      expect(harness.server.calls).toEqual([])
      expect(harness.channel.status()).toMatchObject({ configured: false })
      await harness.close()
      harness = undefined
    }
  })

  it('strips a leading "Bot " from the configured token', async () => {
    harness = await createHarness({ start: false })
    harness.deps.state.config = { ...harness.deps.state.config, channels: { discord: { token: `Bot ${harness.deps.env.DISCORD_BOT_TOKEN}`, groupPolicy: 'allowlist' } } }
    const channel = createDiscordChannel(harness.deps, { schedule: harness.timers.schedule })
    await channel.start()
    expect(channel.status().probe?.ok).toBe(true)
  })
})

describe('status()', () => {
  it('reports the health fields and the REST probe', async () => {
    harness = await createHarness()
    await harness.post({ type: 2, data: { name: 'help', type: 1 }, channel_id: '1', user: { id: '2', username: 'u' } })
    expect(harness.channel.status()).toEqual({
      accountId: 'default',
      configured: true,
      running: true,
      publicKeyPresent: true,
      commandsRegistered: 8,
      lastInteractionAt: harness.deps.now(),
      lastProbeAt: harness.deps.now(),
      probe: { ok: true, bot: { id: '900000000000000001', username: 'Clawd' }, application: { id: APPLICATION_ID }, elapsedMs: 0 },
    })
  })

  it('records a failed probe (bad token) without throwing', async () => {
    harness = await createHarness({ env: { DISCORD_BOT_TOKEN: 'wrong-token-value' } })
    const status = harness.channel.status()
    expect(status.probe?.ok).toBe(false)
    expect(status.lastError).toBe('Discord rejected the bot token (401); check DISCORD_BOT_TOKEN or channels.discord.token')
    expect(status.running).toBe(false)
  })

  it('retries a failed start with backoff until Discord answers', async () => {
    harness = await createHarness({ start: false })
    harness.server.fail((call) => call.path.endsWith('/users/@me'), 500, { message: 'Internal Server Error', code: 0 }, 2)
    await harness.channel.start()
    expect(harness.channel.status().running).toBe(false)
    expect(harness.timers.tasks.map((task) => task.delayMs)).toEqual([10_000])
    harness.timers.runPending()
    await harness.timers.whenPending()
    expect(harness.timers.tasks.map((task) => task.delayMs)).toEqual([30_000])
    harness.timers.runPending()
    await expect.poll(() => harness!.channel.status().running).toBe(true)
    expect(harness.timers.pending()).toBe(0)
  })

  it('cancels a pending retry on stop()', async () => {
    harness = await createHarness({ start: false })
    harness.server.fail((call) => call.path.endsWith('/users/@me'), 500, { message: 'down', code: 0 }, 5)
    await harness.channel.start()
    expect(harness.timers.pending()).toBe(1)
    harness.channel.stop()
    expect(harness.timers.pending()).toBe(0)
  })
})
