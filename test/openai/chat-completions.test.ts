import { afterEach, describe, it, expect } from 'vitest'
import OpenAI from 'openai'
import { createApp } from '../../src/app.js'
import { anthropicReply, gate } from '../helpers/fake-anthropic-server.js'
import { startRuntimeFixture, lastUserText } from '../helpers/runtime-fixture.js'
import { serveApp } from '../helpers/serve-app.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'

const ENABLED = { gateway: { http: { endpoints: { chatCompletions: { enabled: true } } } } }
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup(config: Record<string, unknown> = ENABLED) {
  const fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } }, ...config })
  const app = createApp(fixture.deps, { agents: fixture.runtime })
  const server = await serveApp(app)
  cleanups.push(fixture.close, server.close)
  const client = new OpenAI({ apiKey: TEST_TOKEN, baseURL: `${server.url}/v1`, maxRetries: 0 })
  return { fixture, app, server, client }
}

describe('POST /v1/chat/completions', () => {
  it('answers the official openai client without streaming', async () => {
    const { fixture, client } = await setup()
    fixture.anthropic.script(anthropicReply(['Hi ', 'there'], { usage: { input: 20, output: 2 } }))
    const completion = await client.chat.completions.create({ model: 'clawdbot:main', messages: [{ role: 'user', content: 'hello' }] })
    expect(completion.choices[0].message).toMatchObject({ role: 'assistant', content: 'Hi there' })
    expect(completion.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 2 })
    expect(lastUserText(fixture.anthropic.requests[0].body)).toBe('hello')
  })

  it('reports a reply cut off by the token limit as finish_reason length', async () => {
    const { fixture, client } = await setup()
    fixture.anthropic.script(anthropicReply(['cut sho'], { stopReason: 'max_tokens' }))
    const completion = await client.chat.completions.create({ model: 'clawdbot:main', messages: [{ role: 'user', content: 'ramble' }] })
    expect(completion.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'cut sho' } })
  })

  it('streams deltas to the official openai client', async () => {
    const { fixture, client } = await setup()
    fixture.anthropic.script(anthropicReply(['one ', 'two ', 'three']))
    const stream = await client.chat.completions.create({ model: 'agent:main', messages: [{ role: 'user', content: 'count' }], stream: true, stream_options: { include_usage: true } })
    const pieces: string[] = []
    let finish: string | null | undefined
    let usageSeen = false
    for await (const chunk of stream) {
      if (chunk.usage) usageSeen = true
      const choice = chunk.choices[0]
      if (choice?.delta?.content) pieces.push(choice.delta.content)
      if (choice?.finish_reason) finish = choice.finish_reason
    }
    expect(pieces.join('')).toBe('one two three')
    expect(pieces.length).toBeGreaterThan(1)
    expect(finish).toBe('stop')
    expect(usageSeen).toBe(true)
  })

  it('keeps a conversation per session header, and carries earlier turns for one-off requests', async () => {
    const { fixture, client } = await setup()
    fixture.anthropic.script(anthropicReply(['A']), anthropicReply(['B']), anthropicReply(['C']))
    const headers = { 'x-clawdbot-session-key': 'api-chat' }
    await client.chat.completions.create({ model: 'clawdbot:main', messages: [{ role: 'user', content: 'first' }] }, { headers })
    await client.chat.completions.create({ model: 'clawdbot:main', messages: [{ role: 'user', content: 'second' }] }, { headers })
    expect(fixture.anthropic.requests[1].body.messages).toHaveLength(3)
    const entry = await fixture.runtime.sessions.store('main').get('agent:main:api-chat')
    expect(entry).toBeDefined()

    await client.chat.completions.create({
      model: 'clawdbot:main',
      messages: [{ role: 'user', content: 'my name is Ann' }, { role: 'assistant', content: 'Hi Ann' }, { role: 'user', content: 'who am I?' }],
    })
    expect(lastUserText(fixture.anthropic.requests[2].body)).toBe('[Conversation so far]\nuser: my name is Ann\nassistant: Hi Ann\n\n[Current message]\nwho am I?')
  })

  it('is off by default, and needs the gateway token', async () => {
    const off = await setup({})
    const disabled = await off.app.request('/v1/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}` }, body: '{}' })
    expect(disabled.status).toBe(404)
    expect((await disabled.json()).error.message).toContain('gateway.http.endpoints.chatCompletions.enabled')

    const on = await setup()
    const wrong = new OpenAI({ apiKey: 'nope', baseURL: `${on.server.url}/v1`, maxRetries: 0 })
    await expect(wrong.chat.completions.create({ model: 'clawdbot:main', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 401 })
  })

  it('rejects a malformed request with a 400 that says what is wrong', async () => {
    const { app } = await setup()
    const response = await app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'clawdbot:main', messages: [] }),
    })
    expect(response.status).toBe(400)
    expect((await response.json()).error.message).toContain('messages')
    const broken = await app.request('/v1/chat/completions', { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}` }, body: '{nope' })
    expect(broken.status).toBe(400)
  })

  it('aborts the run when a streaming client disconnects', async () => {
    const { fixture, server } = await setup()
    const hold = gate()
    fixture.anthropic.script(anthropicReply(['start ', hold, 'end']))
    const controller = new AbortController()
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', 'x-clawdbot-session-key': 'gone' },
      body: JSON.stringify({ model: 'clawdbot:main', stream: true, messages: [{ role: 'user', content: 'go' }] }),
      signal: controller.signal,
    })
    const reader = response.body!.getReader()
    await reader.read()
    await hold.reached
    controller.abort()
    await fixture.anthropic.requests[0].settled
    expect(fixture.anthropic.requests[0].aborted).toBe(true)
    hold.open()
  })
})
