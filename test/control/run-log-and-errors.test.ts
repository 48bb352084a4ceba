import { afterEach, describe, expect, it } from 'vitest'
import { anthropicReply, startFakeAnthropic } from '../helpers/fake-anthropic-server.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type Frame } from '../helpers/ws-client.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const CHAIN = '{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5", fallbacks: ["anthropic/claude-sonnet-4-5"] } } } }'

async function setup(env: Record<string, string>) {
  const gateway = await startTestGateway({ configText: CHAIN })
  gateway.deps.env = env
  gateway.deps.fetch = globalThis.fetch.bind(globalThis)
  cleanups.push(() => gateway.close(), () => Promise.allSettled(gateway.background))
  const client = await openTestClient(gateway.url, { token: TEST_TOKEN })
  cleanups.push(() => client.close())
  expect((await client.connect()).ok).toBe(true)
  const send = async (message: string, runId: string) => {
    await client.request('chat.send', { sessionKey: 'main', message, idempotencyKey: runId })
    return client.waitFor((frame: Frame) => frame.event === 'chat' && frame.payload?.runId === runId && ['final', 'error', 'aborted'].includes(frame.payload.state))
  }
  return { gateway, client, send }
}

// Issue 16, items 3 and 14.
describe('runs without a key, and the run log line', () => {
  it('answers a chat without a key with one short paragraph naming the variable once', async () => {
    const { send, client } = await setup({})
    const error = await send('hello', 'run-nokey')
    const text: string = error.payload.errorMessage
    expect(text).toBe(
      '⚠️ Agent failed before reply: All models failed (2): anthropic/claude-opus-4-5, anthropic/claude-sonnet-4-5: ' +
        'No API key found for provider "anthropic". Set ANTHROPIC_API_KEY (on Fly: fly secrets set ANTHROPIC_API_KEY=...) ' +
        'or models.providers.anthropic.apiKey (auth). Details are in the gateway log.',
    )
    expect(text).not.toContain('\n')
    const models = (await client.request('models.list', {})).payload
    expect(models.chain).toEqual({
      usable: false,
      models: [
        { ref: 'anthropic/claude-opus-4-5', role: 'primary', usable: false, problem: expect.stringMatching(/^No API key found for provider "anthropic"/) },
        { ref: 'anthropic/claude-sonnet-4-5', role: 'fallback', usable: false, problem: expect.any(String) },
      ],
    })
  })

  it('reports the model chain as not usable in /api/health, and usable with a key', async () => {
    const { gateway } = await setup({})
    const headers = { authorization: `Bearer ${TEST_TOKEN}` }
    const without = await (await fetch(`${gateway.httpUrl}/api/health`, { headers })).json()
    expect(without.modelChain).toMatchObject({ usable: false, models: [{ ref: 'anthropic/claude-opus-4-5', usable: false }, { usable: false }] })
    gateway.deps.env = { ANTHROPIC_API_KEY: 'sk-ant-x' }
    const withKey = await (await fetch(`${gateway.httpUrl}/api/health`, { headers })).json()
    expect(withKey.modelChain).toEqual({
      usable: true,
      models: [
        { ref: 'anthropic/claude-opus-4-5', role: 'primary', usable: true },
        { ref: 'anthropic/claude-sonnet-4-5', role: 'fallback', usable: true },
      ],
    })
  })

  it('logs one INFO line per run with session, model, duration, tokens and outcome', async () => {
    const anthropic = await startFakeAnthropic()
    cleanups.push(() => anthropic.close())
    const { gateway, send } = await setup({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: anthropic.url })
    anthropic.script(anthropicReply(['Hi!'], { usage: { input: 12, output: 3 } }))
    await send('hello', 'run-logged')
    const lines = gateway.records.filter((record) => record.level === 'info' && record.message.startsWith('run run-logged '))
    expect(lines.map((record) => record.message)).toEqual([
      expect.stringMatching(/^run run-logged session=agent:main:main model=anthropic\/claude-opus-4-5 durationMs=\d+ tokens=12in\/3out outcome=completed$/),
    ])
  })
})
