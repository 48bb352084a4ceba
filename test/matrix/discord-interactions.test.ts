import { afterAll, expect, it } from 'vitest'
import { anthropicReply, gate, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { startFakeDiscord, type DiscordCall, type FakeDiscordServer } from '../helpers/fake-discord-server.js'
import { createInteractionKeys, signInteraction, type InteractionKeys } from '../helpers/sign-interaction.js'
import { INTERRUPTED_REPLY_TEXT } from '../../src/discord/interrupted-replies.js'
import { APPLICATION_ID, BOT_TOKEN, FLY_SAMPLE_CONFIG, guildCommand } from '../discord/discord-harness.js'
import { describeRuntimes } from './runtimes.js'

const isOriginalEdit = (call: DiscordCall, token: string) => call.method === 'PATCH' && call.path === `/webhooks/${APPLICATION_ID}/${token}/messages/@original`

describeRuntimes('POST /discord/interactions', (runtime) => {
  let keys: InteractionKeys
  let discord: FakeDiscordServer
  let anthropic: FakeServer
  const gateway = runtime.start(async () => {
    keys = await createInteractionKeys()
    discord = await startFakeDiscord({ botToken: BOT_TOKEN, application: { id: APPLICATION_ID, verify_key: keys.publicKeyHex, name: 'Clawd' } })
    anthropic = await startFakeAnthropic()
    return {
      config: FLY_SAMPLE_CONFIG,
      env: {
        DISCORD_BOT_TOKEN: BOT_TOKEN,
        DISCORD_PUBLIC_KEY: keys.publicKeyHex,
        DISCORD_API_BASE_URL: discord.url,
        ANTHROPIC_API_KEY: 'sk-ant-matrix',
        ANTHROPIC_BASE_URL: anthropic.url,
      },
    }
  })
  afterAll(() => Promise.all([discord?.close(), anthropic?.close()]))
  let nextId = 1
  const post = async (payload: Record<string, unknown>, sign: { timestamp?: number; tamperedBody?: string } = {}) => {
    const id = `${runtime.name}-${nextId++}`
    const body = { id: String(9_100_000 + nextId), application_id: APPLICATION_ID, token: `token-${id}`, version: 1, ...payload }
    const init = await signInteraction(keys, body, { timestamp: sign.timestamp ?? Date.now() / 1000, tamperedBody: sign.tamperedBody })
    return { response: await gateway().fetch('/discord/interactions', init), token: body.token }
  }

  // Runs first, while nothing has reached the object yet: starting it would probe the fake Discord (users/@me).
  it.runIf(runtime.name === 'workerd')('answers PING in the front Worker without waking the gateway object', async () => {
    const { response } = await post({ type: 1 })
    expect(await response.json()).toEqual({ type: 1 })
    expect(discord.calls).toEqual([])
  })

  it.runIf(runtime.name === 'workerd')('starts Discord (probe, command registration) from the cron trigger', async () => {
    expect((await gateway().fetch('/cdn-cgi/handler/scheduled')).status).toBe(200)
    await discord.waitFor((call) => call.method === 'PUT' && call.path === `/applications/${APPLICATION_ID}/commands`)
  })

  it('answers a signed PING with PONG', async () => {
    const { response } = await post({ type: 1 })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ type: 1 })
  })

  it('refuses a bad signature, a stale timestamp and missing headers with 401', async () => {
    expect((await post({ type: 1 }, { tamperedBody: '{"type":1,"id":"x"}' })).response.status).toBe(401)
    expect((await post({ type: 1 }, { timestamp: Date.now() / 1000 - 3_600 })).response.status).toBe(401)
    const unsigned = await gateway().fetch('/discord/interactions', { method: 'POST', body: '{"type":1}', headers: { 'content-type': 'application/json' } })
    expect(unsigned.status).toBe(401)
    expect(await unsigned.json()).toMatchObject({ error: { code: 'unauthorized' } })
  })

  it('defers /ask at once, then streams edits of the reply from the model', async () => {
    const held = gate()
    anthropic.script(anthropicReply(['Hello ', held, 'from Claude']))
    const { response, token } = await post(guildCommand('ask', [{ name: 'prompt', type: 3, value: 'say hi' }]))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ type: 5 })
    const partial = await discord.waitFor((call) => isOriginalEdit(call, token) && call.body.content === 'Hello')
    expect(partial.body.components?.length ?? 0).toBeGreaterThan(0)
    held.open()
    const final = await discord.waitFor((call) => isOriginalEdit(call, token) && call.body.content === 'Hello from Claude' && (call.body.components ?? []).length === 0)
    expect(final.body.allowed_mentions).toEqual({ parse: [] })
  })

  it('delivers a long reply as chunks of at most 2000 characters with balanced code fences', async () => {
    const code = Array.from({ length: 40 }, (_, line) => `  const value${line} = compute(${line}) // ${'x'.repeat(40)}`).join('\n')
    const prose = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(40)
    const reply = `${prose}\n\n\`\`\`ts\n${code}\n\`\`\`\n\nDone.`
    anthropic.script(anthropicReply([reply.slice(0, 3_000), reply.slice(3_000)]))
    const { token } = await post(guildCommand('ask', [{ name: 'prompt', type: 3, value: 'long please' }]))
    await discord.waitFor((call) => call.method === 'POST' && call.path === `/webhooks/${APPLICATION_ID}/${token}` && String(call.body?.content ?? '').includes('Done.'))
    const parts = discord.calls
      .filter((call) => (isOriginalEdit(call, token) && (call.body.components ?? []).length === 0) || (call.method === 'POST' && call.path === `/webhooks/${APPLICATION_ID}/${token}`))
      .map((call) => String(call.body.content))
    expect(parts.length).toBeGreaterThanOrEqual(3)
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2_000)
      expect((part.match(/```/g) ?? []).length % 2).toBe(0)
    }
    expect(parts.join('\n')).toContain('const value39 = compute(39)')
  })

  it('applies the access policy: a channel outside the allowlist is refused without calling the model', async () => {
    const before = anthropic.requests.length
    const { response } = await post(guildCommand('ask', [{ name: 'prompt', type: 3, value: 'hi' }], { id: '500000000000000002', name: 'random', type: 0 }))
    expect(await response.json()).toMatchObject({ type: 4, data: { content: 'This channel is not allowed.', flags: 64 } })
    expect(anthropic.requests.length).toBe(before)
  })

  // Last: it restarts the gateway.
  it('tells the user to ask again when the gateway is lost in the middle of a reply', async () => {
    const held = gate()
    anthropic.script(anthropicReply(['Thinking', held, ' never sent']))
    const { token } = await post(guildCommand('ask', [{ name: 'prompt', type: 3, value: 'slow one' }]))
    await discord.waitFor((call) => isOriginalEdit(call, token) && call.body.content === 'Thinking')
    await gateway().restart()
    // Workers start the object on its first request; Node starts Discord at boot.
    expect((await gateway().fetch('/api/health', { headers: gateway().auth })).status).toBe(200)
    const notice = await discord.waitFor((call) => isOriginalEdit(call, token) && call.body.content === INTERRUPTED_REPLY_TEXT)
    expect(notice.body.components).toEqual([])
    held.open()
  }, 40_000)
})
