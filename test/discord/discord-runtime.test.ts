import { afterEach, describe, it, expect } from 'vitest'
import { createApp } from '../../src/app.js'
import { createDiscordChannel } from '../../src/discord/discord-channel.js'
import { startFakeAnthropic, anthropicReply } from '../helpers/fake-anthropic-server.js'
import { startFakeDiscord } from '../helpers/fake-discord-server.js'
import { makeTestDeps } from '../helpers/make-test-deps.js'
import { createInteractionKeys, signInteraction } from '../helpers/sign-interaction.js'
import { lastUserText } from '../helpers/runtime-fixture.js'
import { APPLICATION_ID, BOT_TOKEN, FLY_SAMPLE_CONFIG, guildCommand } from './discord-harness.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup() {
  const keys = await createInteractionKeys()
  const discord = await startFakeDiscord({ botToken: BOT_TOKEN, application: { id: APPLICATION_ID, verify_key: keys.publicKeyHex, name: 'Clawd' } })
  const anthropic = await startFakeAnthropic()
  const test = await makeTestDeps({
    configText: FLY_SAMPLE_CONFIG,
    env: { DISCORD_BOT_TOKEN: BOT_TOKEN, DISCORD_API_BASE_URL: discord.url, ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: anthropic.url },
  })
  test.deps.fetch = globalThis.fetch.bind(globalThis)
  test.deps.now = Date.now
  const channel = createDiscordChannel(test.deps, { editIntervalMs: 20 })
  await channel.start()
  const app = createApp(test.deps, { discord: channel })
  cleanups.push(() => discord.close(), () => anthropic.close(), () => Promise.allSettled(test.background))
  let id = 1
  const post = async (payload: Record<string, unknown>) => {
    const body = { id: String(9_000_000 + id++), application_id: APPLICATION_ID, token: `token-${id}`, version: 1, ...payload }
    return app.request('/discord/interactions', await signInteraction(keys, body, { timestamp: Date.now() / 1000 }))
  }
  return { discord, anthropic, test, channel, post }
}

const isOriginalEdit = (call: { method: string; path: string }) => call.method === 'PATCH' && call.path.endsWith('/messages/@original')

describe('Discord with the real agent runtime', () => {
  it('answers /ask in #general from the model, with mentions disabled (Fly guide sample config)', async () => {
    const { discord, anthropic, post } = await setup()
    anthropic.script(anthropicReply(['Hello ', '@everyone ', 'from Claude']))
    const ack = await post(guildCommand('ask', [{ name: 'prompt', type: 3, value: 'say hi' }]))
    expect(ack.status).toBe(200)
    expect(await ack.json()).toMatchObject({ type: 5 })
    const final = await discord.waitFor((call) => isOriginalEdit(call) && call.body.content === 'Hello @everyone from Claude' && (call.body.components ?? []).length === 0)
    expect(final.body.allowed_mentions).toEqual({ parse: [] })
    expect(lastUserText(anthropic.requests[0].body)).toContain('say hi')
    expect(anthropic.requests[0].body.system[0].text).toContain('Runtime: agent=main')
  })

  it('refuses /ask in #random with upstream text, without calling the model', async () => {
    const { anthropic, post } = await setup()
    const refused = await post(guildCommand('ask', [{ name: 'prompt', type: 3, value: 'hi' }], { id: '500000000000000002', name: 'random', type: 0 }))
    expect(await refused.json()).toMatchObject({ type: 4, data: { content: 'This channel is not allowed.', flags: 64 } })
    expect(anthropic.requests).toHaveLength(0)
  })

  it('delivers a 9,000-character reply with code blocks as valid chunks (balanced fences, ≤ 2000 chars, ≤ 17 lines)', async () => {
    const { discord, anthropic, post } = await setup()
    const code = Array.from({ length: 60 }, (_, line) => `  const value${line} = compute(${line}) // ${'x'.repeat(40)}`).join('\n')
    const prose = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(40)
    const reply = `${prose}\n\n\`\`\`ts\n${code}\n\`\`\`\n\n${prose}\n\n\`\`\`ts\n${code}\n\`\`\`\n\nDone.`
    expect(reply.length).toBeGreaterThan(9_000)
    anthropic.script(anthropicReply([reply.slice(0, 4_000), reply.slice(4_000)]))
    await post(guildCommand('ask', [{ name: 'prompt', type: 3, value: 'long please' }]))
    await discord.waitFor((call) => call.method === 'POST' && call.path.includes('/webhooks/') && String(call.body?.content ?? '').includes('Done.'))
    const parts = discord.calls
      .filter((call) => (isOriginalEdit(call) && (call.body.components ?? []).length === 0) || (call.method === 'POST' && call.path.includes('/webhooks/')))
      .map((call) => String(call.body.content))
    expect(parts.length).toBeGreaterThanOrEqual(5)
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2_000)
      expect(part.split('\n').length).toBeLessThanOrEqual(17)
      expect((part.match(/```/g) ?? []).length % 2).toBe(0)
    }
    const joined = parts.join('\n').replace(/```ts\n|```\n?/g, '')
    expect(joined).toContain('const value59 = compute(59)')
  })
})
