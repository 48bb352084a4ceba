import { afterAll, afterEach, expect, it } from 'vitest'
import { anthropicReply, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { startFakeDiscord, type FakeDiscordServer } from '../helpers/fake-discord-server.js'
import { openTestClient, type Frame, type TestClient } from '../helpers/ws-client.js'
import { describeRuntimes, MATRIX_TOKEN } from './runtimes.js'

const HOOK_TOKEN = 'matrix-hook-token'
const BOT_TOKEN = 'matrix-discord-bot-token'
const CONFIG = `{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } },
  hooks: { enabled: true, token: "${HOOK_TOKEN}", maxBodyBytes: 4096 } }\n`

describeRuntimes('agent API and hooks (spec/agent-api.md)', (runtime) => {
  let anthropic: FakeServer
  let discord: FakeDiscordServer
  const gateway = runtime.start(async () => {
    anthropic = await startFakeAnthropic()
    discord = await startFakeDiscord({ botToken: BOT_TOKEN, application: { id: '800000000000000001', verify_key: '00'.repeat(32) } })
    return {
      config: CONFIG,
      env: { ANTHROPIC_API_KEY: 'sk-ant-matrix', ANTHROPIC_BASE_URL: anthropic.url, DISCORD_BOT_TOKEN: BOT_TOKEN, DISCORD_API_BASE_URL: discord.url },
    }
  })
  const clients: TestClient[] = []
  afterEach(() => clients.splice(0).forEach((client) => client.close()))
  afterAll(() => Promise.all([anthropic?.close(), discord?.close()]))
  const connect = async () => {
    const client = await openTestClient(gateway().wsUrl, { token: MATRIX_TOKEN })
    clients.push(client)
    expect((await client.connect()).ok).toBe(true)
    return client
  }
  const hook = (path: string, body: string, headers: Record<string, string> = { authorization: `Bearer ${HOOK_TOKEN}` }) =>
    gateway().fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

  it('agent: an accepted ack and the final under one id, the reply delivered to Discord', async () => {
    anthropic.script(anthropicReply(['pong']))
    const client = await connect()
    const runId = `agent-${runtime.name}`
    const finalFrame = client.waitFor((frame: Frame) => frame.type === 'res' && frame.id === 'agent-1' && frame.payload?.status !== 'accepted', 15_000)
    client.sendRaw(JSON.stringify({ type: 'req', id: 'agent-1', method: 'agent', params: { message: 'Say only: pong', sessionId: `s-${runtime.name}`, channel: 'discord', deliver: true, replyTo: 'channel:1111', timeout: 600, idempotencyKey: runId } }))
    const final = await finalFrame
    const responses = client.received.filter((frame) => frame.type === 'res' && frame.id === 'agent-1')
    expect(responses.map((frame) => frame.payload.status)).toEqual(['accepted', 'ok'])
    expect(final.payload.result.payloads).toEqual([{ text: 'pong', mediaUrl: null }])
    const post = await discord.waitFor((call) => call.method === 'POST' && call.path === '/channels/1111/messages')
    expect(post.body.content).toBe('pong')
    expect((await client.request('agent.wait', { runId, timeoutMs: 0 })).payload).toMatchObject({ runId, status: 'ok' })
  })

  it('send is idempotent; health carries session summaries; usage answers', async () => {
    const client = await connect()
    const params = { to: 'channel:2222', message: 'hello', channel: 'discord', idempotencyKey: `send-${runtime.name}` }
    const first = await client.request('send', params)
    expect(first.payload).toMatchObject({ runId: params.idempotencyKey, channel: 'discord', channelId: '2222' })
    expect((await client.request('send', params)).payload).toEqual(first.payload)
    expect(discord.writes().filter((call) => call.path === '/channels/2222/messages')).toHaveLength(1)
    const health = (await client.request('health', {})).payload
    expect(health.agents[0].sessions).toMatchObject({ path: expect.any(String), count: expect.any(Number), recent: expect.any(Array) })
    expect((await client.request('usage.status', {})).payload.providers).toEqual([])
    expect((await client.request('usage.cost', {})).payload.totals).toMatchObject({ totalTokens: expect.any(Number) })
  })

  it('hooks answer 401 before 405, then 404, 413, 400 and 202, and the reply lands in Discord', async () => {
    expect((await hook('/hooks/wake', '{"text":"x"}', {})).status).toBe(401)
    expect(await (await gateway().fetch('/hooks/wake')).text()).toBe('Unauthorized')
    const get = await gateway().fetch('/hooks/wake', { headers: { 'x-clawdbot-token': HOOK_TOKEN } })
    expect(get.status).toBe(405)
    expect((await hook('/hooks/unknown', '{}')).status).toBe(404)
    expect((await hook('/hooks/wake', JSON.stringify({ text: 'x'.repeat(5000) }))).status).toBe(413)
    expect(await (await hook('/hooks/agent', '{"message":"x","channel":"sms"}')).json()).toEqual({ ok: false, error: 'channel must be last|discord|telegram' })
    expect(await (await hook('/hooks/wake', '{"text":"ping"}')).json()).toEqual({ ok: true, mode: 'now' })
    anthropic.script(anthropicReply(['Summary: all good.']))
    const accepted = await hook('/hooks/agent', '{"message":"summarize","channel":"discord","to":"channel:3333"}')
    expect(accepted.status).toBe(202)
    const post = await discord.waitFor((call) => call.method === 'POST' && call.path === '/channels/3333/messages')
    expect(post.body.content).toBe('Summary: all good.')
  })
})
