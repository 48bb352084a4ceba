import { collect, failure, modelRequest } from '../helpers/provider-stream.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ModelProvider, ModelRequest, ProviderEvent } from '../../src/providers/model-provider.js'
import { createOpenAiProvider } from '../../src/providers/openai-provider.js'
import { ProviderStreamError } from '../../src/providers/provider-stream-error.js'
import {
  gate,
  openAiError,
  openAiMalformed,
  openAiReply,
  openAiStreamError,
  startFakeOpenAi,
  type FakeServer,
} from '../helpers/fake-openai-server.js'

let server: FakeServer

beforeEach(async () => {
  server = await startFakeOpenAi()
})
afterEach(async () => {
  await server.close()
})

function provider(options: { apiKey?: string; maxTokensField?: 'max_tokens' | 'max_completion_tokens' } = { apiKey: 'sk-test' }): ModelProvider {
  return createOpenAiProvider({ id: 'openai', ...options, baseUrl: server.url, fetch })
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return modelRequest('gpt-4o', { maxTokens: 256, ...overrides })
}


describe('createOpenAiProvider', () => {
  it('streams text deltas, then one finish with usage from the include_usage chunk', async () => {
    server.script(openAiReply(['Hel', 'lo'], { usage: { prompt: 50, completion: 9, cached: 20 } }))
    const events = await collect(provider().stream(request({ temperature: 0.2 })))
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: 'lo' },
      { type: 'finish', stopReason: 'stop', usage: { input: 30, output: 9, cacheRead: 20, cacheWrite: 0, totalTokens: 59 } },
    ])
    const [sent] = server.requests
    expect(sent.path).toBe('/v1/chat/completions')
    expect(sent.headers.authorization).toBe('Bearer sk-test')
    expect(sent.body).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are a test.' },
        { role: 'user', content: 'Hi' },
      ],
      max_tokens: 256,
      temperature: 0.2,
      stream: true,
      stream_options: { include_usage: true },
    })
  })

  it('uses max_completion_tokens when told to (OpenAI reasoning models reject max_tokens)', async () => {
    server.script(openAiReply(['ok']))
    await collect(provider({ apiKey: 'sk-test', maxTokensField: 'max_completion_tokens' }).stream(request()))
    expect(server.requests[0].body).toMatchObject({ max_completion_tokens: 256 })
    expect(server.requests[0].body).not.toHaveProperty('max_tokens')
  })

  it('finishes with empty usage when the server sends no usage chunk', async () => {
    server.script(openAiReply(['ok'], { usage: null }))
    const events = await collect(provider().stream(request()))
    expect(events.at(-1)).toEqual({
      type: 'finish',
      stopReason: 'stop',
      usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0 },
    })
  })

  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'toolUse'],
  ])('maps finish_reason %s to %s', async (wire, expected) => {
    server.script(openAiReply(['x'], { finishReason: wire }))
    const events = await collect(provider().stream(request()))
    expect(events.at(-1)).toMatchObject({ type: 'finish', stopReason: expected })
  })

  it('sends images as image_url data URLs and keeps assistant turns as text', async () => {
    server.script(openAiReply(['A cat.']))
    const messages: ModelRequest['messages'] = [
      { role: 'assistant', content: [{ type: 'text', text: 'Send a picture.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Here' },
          { type: 'image', data: '/9j/4AAQ', mimeType: 'image/jpeg' },
        ],
      },
    ]
    await collect(provider().stream(request({ system: '', messages })))
    expect(server.requests[0].body.messages).toEqual([
      { role: 'assistant', content: 'Send a picture.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Here' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
        ],
      },
    ])
  })

  it('sends no Authorization header without a key (Ollama, LM Studio)', async () => {
    server.script(openAiReply(['local']))
    const events = await collect(provider({}).stream(request()))
    expect(events[0]).toEqual({ type: 'text-delta', text: 'local' })
    expect(server.requests[0].headers.authorization).toBeUndefined()
  })

  it.each([
    [429, { message: 'Rate limit reached for gpt-4o', type: 'requests', code: 'rate_limit_exceeded' }],
    [401, { message: 'Incorrect API key provided: sk-test.', type: 'invalid_request_error', code: 'invalid_api_key' }],
    [500, { message: 'The server had an error while processing your request.', type: 'server_error', code: null }],
    [529, { message: 'The engine is currently overloaded.', type: 'server_error', code: null }],
  ])('surfaces HTTP %i as an error with that status and the provider message', async (status, body) => {
    server.script(openAiError(status, body, { 'retry-after': '3' }))
    const error = await failure(provider().stream(request()))
    expect(error.status).toBe(status)
    expect(error.message).toContain(body.message)
    expect(server.requests).toHaveLength(1)
  })

  it('throws an error chunk that arrives mid-stream with the provider message', async () => {
    server.script(openAiStreamError(['partial'], { message: 'Provider overloaded', type: 'server_error', code: null }))
    const error = await failure(provider().stream(request()))
    expect(error.message).toContain('Provider overloaded')
  })

  it('throws a malformed_event error for invalid JSON in a data line', async () => {
    server.script(openAiMalformed())
    const error = await failure(provider().stream(request()))
    expect(error).toBeInstanceOf(ProviderStreamError)
    expect(error.type).toBe('malformed_event')
  })

  it.each(['end', 'destroy'] as const)('throws incomplete_stream when the stream is cut (%s) before finish_reason', async (cut) => {
    server.script(openAiReply(['half'], { cut }))
    const error = await failure(provider().stream(request()))
    expect(error).toBeInstanceOf(ProviderStreamError)
    expect(error.type).toBe('incomplete_stream')
  })

  it('aborting mid-stream cancels the HTTP request and throws an Abort error', async () => {
    const release = gate()
    server.script(openAiReply(['first', release, 'never sent']))
    const controller = new AbortController()
    const events = provider().stream(request({ signal: controller.signal }))[Symbol.asyncIterator]()
    expect(await events.next()).toEqual({ done: false, value: { type: 'text-delta', text: 'first' } })
    controller.abort()
    const error = await events.next().then(
      () => expect.unreachable('an aborted stream must throw'),
      (thrown: unknown) => thrown as Error,
    )
    expect(error.name).toContain('Abort')
    await server.requests[0].settled
    expect(server.requests[0].aborted).toBe(true)
  })
})
