import { afterAll, afterEach, expect, it } from 'vitest'
import { anthropicReply, anthropicToolUse, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { openTestClient, type Frame, type TestClient } from '../helpers/ws-client.js'
import { describeRuntimes, MATRIX_TOKEN } from './runtimes.js'

const CONFIG = '{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } } }'
const isFinal = (runId: string) => (frame: Frame) => frame.type === 'event' && frame.event === 'chat' && frame.payload.runId === runId && frame.payload.state === 'final'

// Memory files live on the volume on Node and in the gateway object's storage on Workers; both must survive a restart.
describeRuntimes('memory tools', (runtime) => {
  let anthropic: FakeServer
  const gateway = runtime.start(async () => {
    anthropic = await startFakeAnthropic()
    return { config: CONFIG, env: { ANTHROPIC_API_KEY: 'sk-ant-matrix', ANTHROPIC_BASE_URL: anthropic.url } }
  })
  const clients: TestClient[] = []
  afterEach(() => clients.splice(0).forEach((client) => client.close()))
  afterAll(() => anthropic?.close())
  const connect = async () => {
    const client = await openTestClient(gateway().wsUrl, { token: MATRIX_TOKEN })
    clients.push(client)
    expect((await client.connect()).ok).toBe(true)
    return client
  }

  it('writes a memory file with a tool and reads it back after a restart', async () => {
    anthropic.script(anthropicToolUse([{ id: 'toolu_w', name: 'write', input: { path: 'MEMORY.md', content: 'The user lives in Bergen.\n' } }]), anthropicReply(['Noted.']))
    const writer = await connect()
    await writer.request('chat.send', { sessionKey: 'memory-one', message: 'remember: I live in Bergen', idempotencyKey: `mem-${runtime.name}-1` })
    await writer.waitFor(isFinal(`mem-${runtime.name}-1`), 15_000)
    const written = (await writer.request('chat.history', { sessionKey: 'memory-one', limit: 50 })).payload.messages
    expect(written[2]).toMatchObject({ toolName: 'write', isError: false })

    await gateway().restart()
    let toolResult = ''
    let calls = 0
    anthropic.script((request) => {
      if (++calls === 1) return anthropicToolUse([{ id: 'toolu_g', name: 'memory_get', input: { path: 'MEMORY.md' } }])
      toolResult = JSON.stringify(request.body.messages.at(-1).content)
      return anthropicReply(['You live in Bergen.'])
    })
    const reader = await connect()
    await reader.request('chat.send', { sessionKey: 'memory-two', message: 'where do I live?', idempotencyKey: `mem-${runtime.name}-2` })
    await reader.waitFor(isFinal(`mem-${runtime.name}-2`), 15_000)
    expect(toolResult).toContain('The user lives in Bergen.')
  }, 60_000)
})
