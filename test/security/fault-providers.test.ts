import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createDiscordRest, DiscordApiError } from '../../src/discord/discord-rest.js'
import { createNodeScheduler } from '../../src/runtime/node/node-scheduler.js'
import { anthropicError, anthropicMalformed, anthropicReply, gate, type ScriptedResponse } from '../helpers/fake-anthropic-server.js'
import { openAiError } from '../helpers/fake-openai-server.js'
import { lastUserText, startRuntimeFixture } from '../helpers/runtime-fixture.js'

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const TERMINAL = new Set(['run-end', 'run-error', 'run-abort'])
const never = gate()

/**
 * What the fake Anthropic server does for a message, by its first word. A failed turn leaves its user message in the
 * history, and consecutive user turns reach the API merged into one, so the newest message is the last line.
 */
function fault(text: string): ScriptedResponse {
  const kind = (text.split('\n').at(-1) ?? '').split(' ')[0]
  if (kind === 'reset') return anthropicReply(['partial '], { cut: 'destroy' })
  if (kind === 'garbage') return anthropicMalformed()
  if (kind === 'binary') return { status: 200, headers: { 'content-type': 'text/event-stream' }, body: ['\u0000\u00ff\ufffd not sse at all \n\n'] }
  if (kind === 'endless') return anthropicReply(['tick ', never])
  if (kind === 'storm') return anthropicError(500, 'api_error', 'Internal server error')
  return anthropicReply([`ok ${text}`])
}

describe('provider faults: exactly one terminal event per run, lanes drain', () => {
  it('reset, garbage SSE, endless stream and a 5xx storm (with the fallback down too)', { timeout: 60_000 }, async () => {
    const fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-4o'] }, timeoutSeconds: 1 } } })
    cleanups.push(() => never.open(), fixture.close)
    fixture.anthropic.script((request) => fault(lastUserText(request.body as never)))
    fixture.openai.script(() => openAiError(503, { message: 'unavailable', type: 'server_error', code: null }))
    const kinds = ['reset', 'garbage', 'binary', 'endless', 'storm', 'fine']
    const handles = []
    for (const [index, kind] of kinds.entries()) {
      for (let copy = 0; copy < 3; copy += 1) {
        handles.push(fixture.runtime.send({ agentId: 'main', sessionKey: `agent:main:fault-${index % 3}`, text: `${kind} ${copy}`, channel: 'webchat' }))
      }
    }
    const outcomes = await Promise.all(handles.map((handle) => handle.done))
    const terminals = new Map<string, number>()
    for (const event of fixture.events) if (TERMINAL.has(event.type)) terminals.set(event.runId, (terminals.get(event.runId) ?? 0) + 1)
    for (const handle of handles) expect(terminals.get(handle.runId), handle.runId).toBe(1)
    expect(outcomes.filter((outcome) => outcome.kind === 'completed')).toHaveLength(3)
    expect(outcomes.filter((outcome) => outcome.kind === 'failed')).toHaveLength(15)
    expect(fixture.runtime.stats()).toEqual({ active: 0, queued: 0 })
  })
})

describe('Discord REST faults', () => {
  async function discordApi(handler: (count: number) => { status: number; body?: unknown; headers?: Record<string, string> } | 'hang', timeoutMs = 200) {
    let count = 0
    const server = createServer((_request, response) => {
      const answer = handler(++count)
      if (answer === 'hang') return
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      response.end(JSON.stringify(answer.body ?? {}))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }))
    const scheduler = createNodeScheduler()
    const sleeps: number[] = []
    const rest = createDiscordRest({
      fetch,
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: 'bot',
      sleep: async (milliseconds) => void sleeps.push(milliseconds),
      after: (delayMs, callback) => scheduler.after(delayMs, callback),
      timeoutMs,
      retry: { attempts: 3, minDelayMs: 10, maxDelayMs: 5_000 },
    })
    return { rest, sleeps, count: () => count }
  }

  it('a 429 storm is retried with retry_after up to the attempt limit, then fails with a clear error', async () => {
    const api = await discordApi(() => ({ status: 429, body: { message: 'You are being rate limited.', retry_after: 0.25, global: false } }), 10_000)
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => api.rest.request('POST', '/channels/1/messages', { body: { content: 'x' } })))
    for (const result of results) {
      expect(result.status).toBe('rejected')
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(DiscordApiError)
      expect(String((result as PromiseRejectedResult).reason)).toMatch(/failed with 429: You are being rate limited/)
    }
    expect(api.count()).toBe(60)
    expect(new Set(api.sleeps)).toEqual(new Set([250]))
  })

  it('5xx answers are retried and then reported; a retry_after past the cap is not waited for', async () => {
    const flaky = await discordApi((count) => (count % 3 === 0 ? { status: 200, body: { id: '9' } } : { status: 502 }))
    expect(await flaky.rest.request('GET', '/users/@me')).toEqual({ id: '9' })
    const down = await discordApi(() => ({ status: 500, body: { message: 'Internal Server Error' } }))
    await expect(down.rest.request('GET', '/users/@me')).rejects.toThrow(/failed with 500/)
    const slow = await discordApi(() => ({ status: 429, body: { message: 'slow down', retry_after: 3_600 } }))
    await expect(slow.rest.request('GET', '/users/@me')).rejects.toThrow(/failed with 429/)
    expect(slow.sleeps).toEqual([])
  })

  it('a hanging API costs one timeout per call, never a stuck delivery', async () => {
    const api = await discordApi(() => 'hang')
    await expect(api.rest.request('POST', '/channels/1/messages', { body: { content: 'x' } })).rejects.toMatchObject({ name: 'TimeoutError' })
  })
})
