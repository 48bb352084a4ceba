import { afterAll, afterEach, expect, it } from 'vitest'
import { anthropicReply, gate, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { openTestClient, type Frame, type TestClient } from '../helpers/ws-client.js'
import { describeRuntimes, MATRIX_TOKEN } from './runtimes.js'

const CONFIG = '{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } } }\n'

const chatEvent = (runId: string, state?: string) => (frame: Frame) =>
  frame.type === 'event' && frame.event === 'chat' && frame.payload?.runId === runId && (state === undefined || frame.payload.state === state)

describeRuntimes('control socket', (runtime) => {
  let anthropic: FakeServer
  const gateway = runtime.start(async () => {
    anthropic = await startFakeAnthropic()
    return { config: CONFIG, env: { ANTHROPIC_API_KEY: 'sk-ant-matrix', ANTHROPIC_BASE_URL: anthropic.url } }
  })
  const clients: TestClient[] = []
  afterEach(() => clients.splice(0).forEach((client) => client.close()))
  afterAll(() => anthropic?.close())
  const connect = async (token = MATRIX_TOKEN) => {
    const client = await openTestClient(gateway().wsUrl, { token })
    clients.push(client)
    return { client, hello: await client.connect() }
  }

  it('sends the challenge, accepts the token and refuses a wrong one with 1008', async () => {
    const { client, hello } = await connect()
    expect(client.received[0]).toMatchObject({ type: 'event', event: 'connect.challenge' })
    expect(hello).toMatchObject({ ok: true, payload: { type: 'hello-ok', protocol: 3 } })
    const refused = await connect('not-the-token')
    expect(refused.hello.ok).toBe(false)
    expect((await refused.client.closed).code).toBe(1008)
  })

  it('streams a chat run from the model and saves the history', async () => {
    const hold = gate()
    anthropic.script(anthropicReply(['Hello', hold, ' world']))
    const { client } = await connect()
    const ack = await client.request('chat.send', { sessionKey: 'chat-one', message: 'hi there', idempotencyKey: `run-${runtime.name}-1` })
    expect(ack.payload).toEqual({ runId: `run-${runtime.name}-1`, status: 'started' })
    const delta = await client.waitFor(chatEvent(`run-${runtime.name}-1`, 'delta'))
    expect(delta.payload.message.content).toEqual([{ type: 'text', text: 'Hello' }])
    hold.open()
    await client.waitFor(chatEvent(`run-${runtime.name}-1`, 'final'))
    const history = await client.request('chat.history', { sessionKey: 'chat-one', limit: 200 })
    expect(history.payload.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant'])
    expect(history.payload.messages[1].content).toEqual([{ type: 'text', text: 'Hello world' }])
  })

  it('aborts a streaming run and broadcasts aborted', async () => {
    const hold = gate()
    anthropic.script(anthropicReply(['partial', hold, ' rest']))
    const { client } = await connect()
    const runId = `run-${runtime.name}-abort`
    await client.request('chat.send', { sessionKey: 'chat-abort', message: 'go', idempotencyKey: runId })
    await client.waitFor(chatEvent(runId, 'delta'))
    const abort = await client.request('chat.abort', { sessionKey: 'chat-abort', runId })
    expect(abort.payload).toEqual({ ok: true, aborted: true, runIds: [runId] })
    expect((await client.waitFor(chatEvent(runId, 'aborted'))).payload).toMatchObject({ stopReason: 'rpc' })
    hold.open()
  })

  it('applies a config edit live and keeps it: the OpenAI endpoint turns on without a restart', async () => {
    expect((await gateway().fetch('/v1/chat/completions', { method: 'POST', headers: gateway().auth, body: '{}' })).status).toBe(404)
    const { client } = await connect()
    const before = (await client.request('config.get', {})).payload
    expect(before).toMatchObject({ exists: true, raw: CONFIG, valid: true })
    const patched = await client.request('config.patch', { raw: '{ gateway: { http: { endpoints: { chatCompletions: { enabled: true } } } } }', baseHash: before.hash })
    expect(patched.payload).toMatchObject({ ok: true, reload: { ok: true } })
    const invalid = await client.request('config.set', { raw: '{ gateway: { port: "nope" } }', baseHash: patched.payload.hash })
    expect(invalid.error).toMatchObject({ code: 'INVALID_REQUEST', message: 'invalid config' })

    anthropic.script(anthropicReply(['enabled']))
    const completion = await gateway().fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { ...gateway().auth, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'clawdbot:main', messages: [{ role: 'user', content: 'on?' }] }),
    })
    expect(completion.status).toBe(200)
    expect((await completion.json()).choices[0].message.content).toBe('enabled')
    const after = (await client.request('config.get', {})).payload
    expect(after.config).toMatchObject({ gateway: { http: { endpoints: { chatCompletions: { enabled: true } } } } })
    expect(after.hash).toBe(patched.payload.hash)

    // The edit is stored (the state dir on Node, the object's storage on Workers): it survives a restart.
    await gateway().restart()
    const { client: again } = await connect()
    expect((await again.request('config.get', {})).payload.hash).toBe(patched.payload.hash)
    expect((await gateway().fetch('/v1/chat/completions', { method: 'POST', headers: gateway().auth, body: '{}' })).status).not.toBe(404)
  }, 40_000)
})
