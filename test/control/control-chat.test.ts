import { afterEach, describe, it, expect } from 'vitest'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type Frame, type TestClient } from '../helpers/ws-client.js'
import { startFakeAnthropic, anthropicReply, gate, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup(configText = '{ gateway: { mode: "local", http: { endpoints: { chatCompletions: { enabled: true } } } }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } } }') {
  const anthropic: FakeServer = await startFakeAnthropic()
  const gateway = await startTestGateway({ configText })
  gateway.deps.env = { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: anthropic.url }
  gateway.deps.fetch = globalThis.fetch.bind(globalThis)
  cleanups.push(() => anthropic.close(), () => gateway.close(), () => Promise.allSettled(gateway.background))
  const connect = async () => {
    const client = await openTestClient(gateway.url, { token: TEST_TOKEN })
    cleanups.push(() => client.close())
    const hello = await client.connect()
    expect(hello.ok).toBe(true)
    return client
  }
  return { anthropic, gateway, connect }
}

const chatEvent = (runId: string, state?: string) => (frame: Frame) =>
  frame.type === 'event' && frame.event === 'chat' && frame.payload?.runId === runId && (state === undefined || frame.payload.state === state)

describe('chat over the control socket', () => {
  it('acks at once, streams cumulative deltas, then one final with the client key, with history saved first', async () => {
    const { anthropic, connect } = await setup()
    const hold = gate()
    anthropic.script(anthropicReply(['Hello', hold, ' world']))
    const client = await connect()
    const ack = await client.request('chat.send', { sessionKey: 'main', message: 'hi there', deliver: false, idempotencyKey: 'run-1' })
    expect(ack.payload).toEqual({ runId: 'run-1', status: 'started' })
    const delta = await client.waitFor(chatEvent('run-1', 'delta'))
    expect(delta.payload).toMatchObject({ sessionKey: 'main', message: { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] } })
    hold.open()
    const final = await client.waitFor(chatEvent('run-1', 'final'))
    expect(final.payload.sessionKey).toBe('main')
    const history = await client.request('chat.history', { sessionKey: 'main', limit: 200 })
    expect(history.payload.sessionKey).toBe('main')
    expect(history.payload.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant'])
    expect(history.payload.messages[1].content).toEqual([{ type: 'text', text: 'Hello world' }])
    expect(typeof history.payload.messages[0].timestamp).toBe('number')
    const terminals = client.received.filter((frame) => chatEvent('run-1')(frame) && ['final', 'error', 'aborted'].includes(frame.payload.state))
    expect(terminals).toHaveLength(1)
  })

  it('aborts a streaming run and broadcasts aborted for that runId', async () => {
    const { anthropic, connect } = await setup()
    const hold = gate()
    anthropic.script(anthropicReply(['partial', hold, ' rest']))
    const client = await connect()
    await client.request('chat.send', { sessionKey: 'main', message: 'go', idempotencyKey: 'run-abort' })
    await client.waitFor(chatEvent('run-abort', 'delta'))
    const abort = await client.request('chat.abort', { sessionKey: 'main', runId: 'run-abort' })
    expect(abort.payload).toEqual({ ok: true, aborted: true, runIds: ['run-abort'] })
    const aborted = await client.waitFor(chatEvent('run-abort', 'aborted'))
    expect(aborted.payload).toMatchObject({ sessionKey: 'main', stopReason: 'rpc' })
    hold.open()
    const again = await client.request('chat.abort', { sessionKey: 'main', runId: 'run-abort' })
    expect(again.payload).toEqual({ ok: true, aborted: false, runIds: [] })
  })

  it('starts a new session on /new (the New session button) and ends with final', async () => {
    const { anthropic, connect } = await setup()
    anthropic.script(anthropicReply(['first']), anthropicReply(['Hi, fresh start!']))
    const client = await connect()
    await client.request('chat.send', { sessionKey: 'main', message: 'remember this', idempotencyKey: 'a' })
    await client.waitFor(chatEvent('a', 'final'))
    const before = (await client.request('chat.history', { sessionKey: 'main' })).payload.sessionId
    await client.request('chat.send', { sessionKey: 'main', message: '/new', idempotencyKey: 'b' })
    await client.waitFor(chatEvent('b', 'final'))
    const after = await client.request('chat.history', { sessionKey: 'main' })
    expect(after.payload.sessionId).not.toBe(before)
    expect(after.payload.messages.at(-1).content[0].text).toBe('Hi, fresh start!')
  })

  it('sends events to every client watching the session, each with its own key spelling, also for runs from other channels', async () => {
    const { anthropic, gateway, connect } = await setup()
    anthropic.script(anthropicReply(['from the ui']), anthropicReply(['from the api']))
    const first = await connect()
    const second = await connect()
    await second.request('chat.history', { sessionKey: 'agent:main:main' })
    await first.request('chat.send', { sessionKey: 'main', message: 'hello', idempotencyKey: 'shared' })
    const [one, two] = await Promise.all([first.waitFor(chatEvent('shared', 'final')), second.waitFor(chatEvent('shared', 'final'))])
    expect(one.payload.sessionKey).toBe('main')
    expect(two.payload.sessionKey).toBe('agent:main:main')

    const response = await fetch(`${gateway.httpUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', 'x-clawdbot-session-key': 'main' },
      body: JSON.stringify({ model: 'clawdbot:main', messages: [{ role: 'user', content: 'via api' }] }),
    })
    expect(response.status).toBe(200)
    const foreign = await first.waitFor((frame) => frame.event === 'chat' && frame.payload?.state === 'final' && frame.payload.runId !== 'shared')
    expect(foreign.payload.sessionKey).toBe('main')
  })

  it('validates sends: empty message refused, duplicate idempotency key answered from cache', async () => {
    const { anthropic, connect } = await setup()
    anthropic.script(anthropicReply(['once']))
    const client = await connect()
    const empty = await client.request('chat.send', { sessionKey: 'main', message: '   ', idempotencyKey: 'x' })
    expect(empty.error).toEqual({ code: 'INVALID_REQUEST', message: 'message or attachment required' })
    await client.request('chat.send', { sessionKey: 'main', message: 'hi', idempotencyKey: 'dup' })
    await client.waitFor(chatEvent('dup', 'final'))
    const repeat = await client.request('chat.send', { sessionKey: 'main', message: 'hi', idempotencyKey: 'dup' })
    expect(repeat.payload).toEqual({ runId: 'dup', status: 'ok' })
    expect(anthropic.requests).toHaveLength(1)
  })
})

describe('sessions over the control socket', () => {
  async function withSession(client: TestClient, anthropic: FakeServer, key: string) {
    anthropic.script(anthropicReply(['ok']))
    await client.request('chat.send', { sessionKey: key, message: 'hi', idempotencyKey: `init-${key}` })
    await client.waitFor(chatEvent(`init-${key}`, 'final'))
  }

  it('lists, renames, changes model, resets and deletes sessions; the main session cannot be deleted', async () => {
    const { anthropic, connect } = await setup()
    const client = await connect()
    await withSession(client, anthropic, 'main')
    await withSession(client, anthropic, 'side-project')
    const list = await client.request('sessions.list', { includeGlobal: true, includeUnknown: false, limit: 120 })
    expect(list.payload.count).toBe(2)
    expect(list.payload.defaults).toMatchObject({ modelProvider: 'anthropic', model: 'claude-opus-4-5' })
    expect(list.payload.sessions.map((row: { key: string }) => row.key).sort()).toEqual(['agent:main:main', 'agent:main:side-project'])
    expect(list.payload.sessions[0]).toMatchObject({ kind: 'direct', totalTokens: expect.any(Number) })

    const patched = await client.request('sessions.patch', { key: 'side-project', label: 'Side project', model: 'anthropic/claude-sonnet-4-5' })
    expect(patched.payload).toMatchObject({ ok: true, key: 'agent:main:side-project', entry: { label: 'Side project', modelOverride: 'anthropic/claude-sonnet-4-5' } })
    const cleared = await client.request('sessions.patch', { key: 'side-project', label: null })
    expect(cleared.payload.entry.label).toBeUndefined()

    const before = (await client.request('chat.history', { sessionKey: 'side-project' })).payload.sessionId
    const reset = await client.request('sessions.reset', { key: 'side-project' })
    expect(reset.payload.entry.sessionId).not.toBe(before)
    expect((await client.request('chat.history', { sessionKey: 'side-project' })).payload.messages).toEqual([])

    const refused = await client.request('sessions.delete', { key: 'main', deleteTranscript: true })
    expect(refused.error?.code).toBe('INVALID_REQUEST')
    expect(refused.error?.message).toContain('Cannot delete the main session')
    const deleted = await client.request('sessions.delete', { key: 'side-project', deleteTranscript: true })
    expect(deleted.payload).toMatchObject({ ok: true, deleted: true })
    expect((await client.request('sessions.list', {})).payload.count).toBe(1)
  })

  it('refuses a model outside the allowlist with upstream text', async () => {
    const { connect } = await setup('{ gateway: { mode: "local" }, agents: { defaults: { models: { "anthropic/claude-opus-4-5": {} } } } }')
    const client = await connect()
    const refused = await client.request('sessions.patch', { key: 'main', model: 'openai/gpt-4o' })
    expect(refused.error?.message).toBe('Model "openai/gpt-4o" is not allowed. Use /model to list available models.')
  })
})
