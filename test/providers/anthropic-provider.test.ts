import { collect, failure, modelRequest } from '../helpers/provider-stream.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CLAUDE_CODE_IDENTITY, createAnthropicProvider } from '../../src/providers/anthropic-provider.js'
import type { ModelProvider, ModelRequest, ProviderEvent } from '../../src/providers/model-provider.js'
import { ProviderStreamError } from '../../src/providers/provider-stream-error.js'
import {
  anthropicError,
  anthropicMalformed,
  anthropicReply,
  anthropicStreamError,
  gate,
  startFakeAnthropic,
  type FakeServer,
} from '../helpers/fake-anthropic-server.js'

let server: FakeServer

beforeEach(async () => {
  server = await startFakeAnthropic()
})
afterEach(async () => {
  await server.close()
})

function provider(options: { apiKey?: string; authToken?: string; headers?: Record<string, string> } = {}): ModelProvider {
  return createAnthropicProvider({ apiKey: 'sk-ant-api03-test', ...options, baseUrl: server.url, fetch })
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return modelRequest('claude-opus-4-5', overrides)
}


describe('createAnthropicProvider', () => {
  it('streams text deltas, then one finish with usage including cache tokens', async () => {
    server.script(anthropicReply(['Hel', 'lo', '!'], { usage: { input: 12, output: 7, cacheRead: 100, cacheWrite: 30 } }))
    const events = await collect(provider().stream(request({ temperature: 0.5 })))
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: 'lo' },
      { type: 'text-delta', text: '!' },
      { type: 'finish', stopReason: 'stop', usage: { input: 12, output: 7, cacheRead: 100, cacheWrite: 30, totalTokens: 149 } },
    ])
    const [sent] = server.requests
    expect(sent.method).toBe('POST')
    expect(sent.path).toBe('/v1/messages')
    expect(sent.body).toEqual({
      model: 'claude-opus-4-5',
      max_tokens: 1024,
      temperature: 0.5,
      stream: true,
      system: [{ type: 'text', text: 'You are a test.' }],
      messages: [{ role: 'user', content: 'Hi' }],
    })
    expect(sent.headers.authorization).toBe('Bearer sk-ant-api03-test')
    expect(sent.headers['anthropic-beta']).toBeUndefined()
  })

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'toolUse'],
  ])('maps stop reason %s to %s', async (wire, expected) => {
    server.script(anthropicReply(['x'], { stopReason: wire }))
    const events = await collect(provider().stream(request()))
    expect(events.at(-1)).toMatchObject({ type: 'finish', stopReason: expected })
  })

  it('sends images as base64 image blocks next to the text', async () => {
    server.script(anthropicReply(['A cat.']))
    const content = [
      { type: 'text' as const, text: 'What is this?' },
      { type: 'image' as const, data: 'iVBORw0KGgo=', mimeType: 'image/png' },
    ]
    await collect(provider().stream(request({ messages: [{ role: 'user', content }] })))
    expect(server.requests[0].body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        ],
      },
    ])
  })

  it('sends sk-ant-oat tokens as Bearer with the Claude Code beta and identity block first', async () => {
    server.script(anthropicReply(['ok']))
    const oauth = provider({ apiKey: 'sk-ant-oat01-secret', headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } })
    await collect(oauth.stream(request()))
    const [sent] = server.requests
    expect(sent.headers.authorization).toBe('Bearer sk-ant-oat01-secret')
    expect(sent.headers['x-api-key']).toBeUndefined()
    expect(sent.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31,claude-code-20250219,oauth-2025-04-20')
    expect(sent.body.system).toEqual([
      { type: 'text', text: CLAUDE_CODE_IDENTITY },
      { type: 'text', text: 'You are a test.' },
    ])
  })

  it('sends no credential header when it has no key (a local Anthropic-compatible server)', async () => {
    server.script(anthropicReply(['ok']))
    const keyless = createAnthropicProvider({ id: 'local', baseUrl: server.url, fetch })
    await collect(keyless.stream(request({ system: '' })))
    expect(server.requests[0].headers.authorization).toBeUndefined()
    expect(server.requests[0].headers['x-api-key']).toBeUndefined()
    expect(server.requests[0].body.system).toBeUndefined()
  })

  it.each([
    [529, 'overloaded_error', 'Overloaded', {}],
    [429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { 'retry-after': '7' }],
    [401, 'authentication_error', 'invalid x-api-key', {}],
    [500, 'api_error', 'Internal server error', {}],
  ])('surfaces HTTP %i as an error with that status and the provider message', async (status, type, message, headers) => {
    server.script(anthropicError(status, type, message, headers))
    const error = await failure(provider().stream(request()))
    expect(error.status).toBe(status)
    expect(error.message).toContain(type)
    expect(error.message).toContain(message)
    // maxRetries defaults to 0: failover, not the SDK, decides what happens next.
    expect(server.requests).toHaveLength(1)
    if (status === 429) expect(error.headers.get('retry-after')).toBe('7')
  })

  it('throws an overloaded error event that arrives mid-stream, after the text before it', async () => {
    server.script(anthropicStreamError(['partial'], 'overloaded_error', 'Overloaded'))
    const seen: ProviderEvent[] = []
    const error = await failure(
      (async function* () {
        for await (const event of provider().stream(request())) {
          seen.push(event)
          yield event
        }
      })(),
    )
    expect(seen).toEqual([{ type: 'text-delta', text: 'partial' }])
    expect(error.type).toBe('overloaded_error')
    expect(error.message).toMatch(/overloaded/i)
  })

  it('throws a malformed_event error for invalid JSON in a data line', async () => {
    server.script(anthropicMalformed())
    const error = await failure(provider().stream(request()))
    expect(error).toBeInstanceOf(ProviderStreamError)
    expect(error.type).toBe('malformed_event')
    expect(error.status).toBeUndefined()
  })

  it.each(['end', 'destroy'] as const)('throws incomplete_stream when the stream is cut (%s) before message_stop', async (cut) => {
    server.script(anthropicReply(['half'], { cut }))
    const error = await failure(provider().stream(request()))
    expect(error).toBeInstanceOf(ProviderStreamError)
    expect(error.type).toBe('incomplete_stream')
  })

  it('aborting mid-stream cancels the HTTP request and throws an Abort error', async () => {
    const release = gate()
    server.script(anthropicReply(['first', release, 'never sent']))
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

  it('throws an Abort error without streaming when the signal is already aborted', async () => {
    server.script(anthropicReply(['unused']))
    const controller = new AbortController()
    controller.abort()
    const error = await failure(provider().stream(request({ signal: controller.signal })))
    expect(error.name).toContain('Abort')
  })
})
