import { afterEach, describe, expect, it } from 'vitest'
import OpenAI from 'openai'
import { createApp } from '../../src/app.js'
import { anthropicReply } from '../helpers/fake-anthropic-server.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startRuntimeFixture } from '../helpers/runtime-fixture.js'
import { serveApp } from '../helpers/serve-app.js'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup(extra: Record<string, unknown> = {}) {
  const fixture = await startRuntimeFixture({
    gateway: { http: { endpoints: { chatCompletions: { enabled: true } } } },
    agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-4o'] } }, list: [{ id: 'main', default: true }, { id: 'work' }] },
    ...extra,
  })
  const app = createApp(fixture.deps, { agents: fixture.runtime })
  const server = await serveApp(app)
  cleanups.push(fixture.close, server.close)
  return { fixture, app, client: new OpenAI({ apiKey: TEST_TOKEN, baseURL: `${server.url}/v1`, maxRetries: 0 }) }
}

// Issue 16, item 15.
describe('GET /v1/models', () => {
  it('lists the agents and the models a request may pick, through the official client', async () => {
    const { client } = await setup()
    const ids: string[] = []
    for await (const model of client.models.list()) ids.push(model.id)
    expect(ids).toEqual(['clawdbot:main', 'clawdbot:work', 'anthropic/claude-opus-4-5', 'openai/gpt-4o'])
  })

  it('needs the token and is off with the endpoint', async () => {
    const { app } = await setup()
    expect((await app.request('/v1/models')).status).toBe(401)
    const off = await setup({ gateway: {} })
    const response = await off.app.request('/v1/models', { headers: { authorization: `Bearer ${TEST_TOKEN}` } })
    expect(response.status).toBe(404)
    expect((await response.json()).error.message).toMatch(/chatCompletions\.enabled/)
  })
})

describe('POST /v1/chat/completions model and session handling', () => {
  it('answers an unknown agent with 404 model_not_found instead of using the main agent', async () => {
    const { fixture, client } = await setup()
    const failure = await client.chat.completions.create({ model: 'clawdbot:nope', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError)
    expect((failure as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found')
    expect((failure as Error).message).toMatch(/GET \/v1\/models lists/)
    expect(fixture.anthropic.requests).toHaveLength(0)
  })

  it('routes clawdbot:<id> to that agent', async () => {
    const { fixture, client } = await setup()
    fixture.anthropic.script(anthropicReply(['from work']))
    const headers = { 'x-clawdbot-session-key': 'kept' }
    await client.chat.completions.create({ model: 'clawdbot:work', messages: [{ role: 'user', content: 'hi' }] }, { headers })
    expect(await fixture.runtime.sessions.store('work').get('agent:work:kept')).toBeDefined()
  })

  it('leaves no session behind for a request without a session key or user', async () => {
    const { fixture, client } = await setup()
    fixture.anthropic.script(anthropicReply(['one-off']), anthropicReply(['streamed one-off']))
    const response = await client.chat.completions
      .create({ model: 'clawdbot:main', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse()
    expect(response.data.choices[0].message.content).toBe('one-off')
    expect(response.response.headers.get('x-clawdbot-session-key')).toBeNull()
    const stream = await client.chat.completions.create({ model: 'clawdbot:main', messages: [{ role: 'user', content: 'again' }], stream: true })
    for await (const chunk of stream) void chunk
    await Promise.all(fixture.background)
    expect(await fixture.runtime.sessions.store('main').list()).toEqual([])
  })
})
