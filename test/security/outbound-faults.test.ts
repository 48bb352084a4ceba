import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { createDiscordRest } from '../../src/discord/discord-rest.js'
import { fetchWithTimeout } from '../../src/http/fetch-with-timeout.js'
import { createLogger } from '../../src/logging/logger.js'
import { createNodeScheduler } from '../../src/runtime/node/node-scheduler.js'
import { removeStaleTempFiles } from '../../src/runtime/node/remove-stale-temp-files.js'
import { anthropicReply, gate } from '../helpers/fake-anthropic-server.js'
import { openAiReply } from '../helpers/fake-openai-server.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startRuntimeFixture } from '../helpers/runtime-fixture.js'
import { serveApp } from '../helpers/serve-app.js'

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A server that accepts requests and never answers them. */
async function hangingServer(): Promise<{ url: string; pending: () => number }> {
  let pending = 0
  const server: Server = createServer(() => {
    pending += 1
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pending: () => pending }
}

const scheduler = createNodeScheduler()
const after = (delayMs: number, callback: () => void) => scheduler.after(delayMs, callback)

describe('finding 11: every outbound call has a deadline', () => {
  it('a Discord API that never answers fails each call after its timeout, so deliveries and drains finish', async () => {
    const api = await hangingServer()
    const rest = createDiscordRest({ fetch, baseUrl: api.url, token: 'bot-token', sleep: async () => undefined, after, timeoutMs: 150 })
    const calls = Array.from({ length: 20 }, (_, index) => rest.request('POST', `/channels/1/messages`, { body: { content: `m${index}` } }))
    const results = await Promise.allSettled(calls)
    expect(results.every((result) => result.status === 'rejected')).toBe(true)
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/\[discord\] 127\.0\.0\.1:\d+ did not answer within 150 ms/)
    expect(api.pending()).toBeGreaterThan(0)
  })

  it('a provider that accepts the connection but never sends headers times out at connect', async () => {
    const api = await hangingServer()
    const guarded = fetchWithTimeout(fetch, { timeoutMs: 150, after, subsystem: 'provider', until: 'headers' })
    await expect(guarded(`${api.url}/v1/messages`, { method: 'POST', body: '{}' })).rejects.toMatchObject({ name: 'TimeoutError' })
  })
})

describe('finding 12: one OpenAI client hanging up stops only its own run', () => {
  it('keeps another caller’s queued run on the same session alive', async () => {
    const fixture = await startRuntimeFixture({ gateway: { http: { endpoints: { chatCompletions: { enabled: true } } } }, agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } } })
    const server = await serveApp(createApp(fixture.deps, { agents: fixture.runtime }))
    cleanups.push(fixture.close, server.close)
    const hold = gate()
    fixture.anthropic.script(anthropicReply(['first ', hold, 'never']), anthropicReply(['second caller answered']))
    const post = (content: string, signal?: AbortSignal) =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', 'x-clawdbot-session-key': 'shared' },
        body: JSON.stringify({ model: 'clawdbot:main', stream: true, messages: [{ role: 'user', content }] }),
        signal,
      })
    const controller = new AbortController()
    const first = await post('one', controller.signal)
    const reader = first.body!.getReader()
    await reader.read()
    await hold.reached
    // The second caller queues behind the first run on the same session.
    const secondResponse = post('two')
    controller.abort()
    await fixture.anthropic.requests[0].settled
    hold.open()
    const second = await (await secondResponse).text()
    expect(second).toContain('second caller answered')
    expect(second).toContain('[DONE]')
  })
})

describe('finding 13: crash leftovers are cleaned at start', () => {
  it('removes .*.tmp files of interrupted atomic writes and nothing else', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'gw-tmp-clean-'))
    const sessions = join(stateDir, 'agents', 'main', 'sessions')
    mkdirSync(sessions, { recursive: true })
    writeFileSync(join(sessions, 'sessions.json'), '{}')
    writeFileSync(join(sessions, '.sessions.json.0123456789ab.tmp'), '{"partial":')
    writeFileSync(join(stateDir, '.moltbot.json.abcdef012345.tmp'), '{')
    writeFileSync(join(sessions, 'notes.tmp'), 'user file')
    mkdirSync(join(stateDir, 'workspace'))
    writeFileSync(join(stateDir, 'workspace', '.draft.0123456789ab.tmp'), 'the user’s own')
    const removed = await removeStaleTempFiles([stateDir], createLogger({ now: Date.now, sink: () => undefined }))
    expect(removed).toBe(2)
    expect(readdirSync(sessions).sort()).toEqual(['notes.tmp', 'sessions.json'])
    expect(readdirSync(join(stateDir, 'workspace'))).toEqual(['.draft.0123456789ab.tmp'])
  })
})

describe('finding 14: an unreachable provider fails over and is named', () => {
  it('connection refused moves on to the configured fallback', async () => {
    const fixture = await startRuntimeFixture()
    cleanups.push(fixture.close)
    const anthropicUrl = fixture.deps.env.ANTHROPIC_BASE_URL!
    await fixture.anthropic.close()
    fixture.openai.script(openAiReply(['fallback here']))
    const outcome = await fixture.runtime.send({ agentId: 'main', sessionKey: 'agent:main:main', text: 'hi', channel: 'webchat' }).done
    expect(outcome).toMatchObject({ kind: 'completed', text: 'fallback here' })
    expect(anthropicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+/)
  })

  it('without fallbacks, the error names the provider and host', async () => {
    const fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: [] } } } })
    cleanups.push(fixture.close)
    const host = new URL(fixture.deps.env.ANTHROPIC_BASE_URL!).host
    await fixture.anthropic.close()
    const outcome = await fixture.runtime.send({ agentId: 'main', sessionKey: 'agent:main:main', text: 'hi', channel: 'webchat' }).done
    expect(outcome.kind).toBe('failed')
    expect(JSON.stringify(outcome)).toContain(`[anthropic] cannot reach ${host}: connection refused (ECONNREFUSED)`)
  })
})
