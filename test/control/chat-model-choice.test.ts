import { afterEach, describe, expect, it } from 'vitest'
import { anthropicReply, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type Frame } from '../helpers/ws-client.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const CONFIG = `{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } },
  models: { providers: { local: { baseUrl: "http://127.0.0.1:9/v1", api: "openai-completions", models: [{ id: "llama3.1", name: "Llama", contextWindow: 128000 }] } } } }`

async function setup() {
  const anthropic: FakeServer = await startFakeAnthropic()
  const gateway = await startTestGateway({ configText: CONFIG })
  gateway.deps.env = { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: anthropic.url }
  gateway.deps.fetch = globalThis.fetch.bind(globalThis)
  cleanups.push(() => anthropic.close(), () => gateway.close(), () => Promise.allSettled(gateway.background))
  const client = await openTestClient(gateway.url, { token: TEST_TOKEN })
  cleanups.push(() => client.close())
  expect((await client.connect()).ok).toBe(true)
  const send = async (message: string, runId: string) => {
    await client.request('chat.send', { sessionKey: 'main', message, idempotencyKey: runId })
    return client.waitFor((frame: Frame) => frame.event === 'chat' && frame.payload?.runId === runId && ['final', 'error', 'aborted'].includes(frame.payload.state))
  }
  const row = async () => (await client.request('sessions.list', {})).payload.sessions.find((entry: { key: string }) => entry.key === 'agent:main:main')
  return { anthropic, client, send, row }
}

// Issue 16, item 1.
describe('/new <model> over chat.send', () => {
  it('refuses an unknown provider, keeps the session and its model, and the next message still works', async () => {
    const { anthropic, client, send, row } = await setup()
    anthropic.script(anthropicReply(['first reply']))
    await send('hello', 'run-1')
    const before = await row()
    const refused = await send('/new nosuchprovider/foo', 'run-2')
    expect(refused.payload.state).toBe('error')
    expect(refused.payload.errorMessage).toMatch(/^Unknown model provider "nosuchprovider"; nothing was changed\. Use one of: anthropic, openai/)
    expect(refused.payload.errorMessage).toContain('local')
    const after = await row()
    expect(after.sessionId).toBe(before.sessionId)
    expect(after.model).toBe('anthropic/claude-opus-4-5')
    anthropic.script(anthropicReply(['still here']))
    expect((await send('and now?', 'run-3')).payload.state).toBe('final')
    const history = await client.request('chat.history', { sessionKey: 'main' })
    expect(history.payload.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
  })

  it('accepts an unknown model id of a known provider with a warning naming close catalog matches', async () => {
    const { anthropic, send, row } = await setup()
    anthropic.script(anthropicReply(['Hi, fresh session.']))
    const final = await send('/new anthropic/claude-sonet-4-5', 'run-1')
    expect(final.payload.state).toBe('final')
    const text = final.payload.message.content[0].text
    expect(text).toMatch(/^⚠️ Model "anthropic\/claude-sonet-4-5" is not in the model catalog; using it anyway\. Did you mean anthropic\/claude-sonnet-4-5/)
    expect(text).toContain('Hi, fresh session.')
    expect((await row()).model).toBe('anthropic/claude-sonet-4-5')
    expect(anthropic.requests.at(-1)!.body.model).toBe('claude-sonet-4-5')
  })

  it("counts a custom provider's listed models as known, and warns for one it does not list", async () => {
    const { client } = await setup()
    const known = await client.request('sessions.patch', { key: 'main', model: 'local/llama3.1' })
    expect(known.ok).toBe(true)
    const unknownProvider = await client.request('sessions.patch', { key: 'main', model: 'nosuch/x' })
    expect(unknownProvider.error?.message).toMatch(/^Unknown model provider "nosuch"/)
  })
})

// Issue 16, item 5.
describe('chat.history and sessions.list after /new', () => {
  it('leaves the internal greeting prompt out of history and reports the session model context window', async () => {
    const { anthropic, client, send, row } = await setup()
    await send('/new local/llama3.1', 'run-1')
    const history = await client.request('chat.history', { sessionKey: 'main' })
    expect(history.payload.messages.map((message: { role: string }) => message.role)).toEqual(['assistant'])
    const session = await row()
    expect(session.model).toBe('local/llama3.1')
    // The window of the session's own model, not the last prompt's size and not the default model's.
    expect(session.contextTokens).toBe(128_000)
    const list = (await client.request('sessions.list', {})).payload
    expect(list.defaults.contextTokens).toBe(200_000)
  })
})
