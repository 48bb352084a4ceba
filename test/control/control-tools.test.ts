import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createNodeWorkspaceFiles } from '../../src/runtime/node/node-workspace-files.js'
import { anthropicReply, anthropicToolUse, gate, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type Frame } from '../helpers/ws-client.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup() {
  const anthropic: FakeServer = await startFakeAnthropic()
  const gateway = await startTestGateway({ configText: '{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } } }' })
  gateway.deps.env = { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: anthropic.url }
  gateway.deps.fetch = globalThis.fetch.bind(globalThis)
  gateway.deps.workspaceFiles = createNodeWorkspaceFiles()
  const workspace = join(gateway.deps.state.stateDir, 'workspace')
  mkdirSync(join(workspace, 'memory'), { recursive: true })
  cleanups.push(() => anthropic.close(), () => gateway.close(), () => Promise.allSettled(gateway.background))
  const connect = async (overrides: Record<string, unknown> = {}) => {
    const client = await openTestClient(gateway.url, { token: TEST_TOKEN })
    cleanups.push(() => client.close())
    expect((await client.connect(overrides)).ok).toBe(true)
    return client
  }
  return { anthropic, gateway, workspace, connect }
}

const agentFrames = (frames: Frame[], runId: string, stream?: string) =>
  frames.filter((frame) => frame.type === 'event' && frame.event === 'agent' && frame.payload.runId === runId && (stream === undefined || frame.payload.stream === stream))
const isFinal = (runId: string) => (frame: Frame) => frame.type === 'event' && frame.event === 'chat' && frame.payload.runId === runId && frame.payload.state === 'final'

describe('tools over the control socket (upstream Control UI frames)', () => {
  it('answers from memory; chat.history holds the tool call and its result before final', async () => {
    const { anthropic, workspace, connect } = await setup()
    writeFileSync(join(workspace, 'MEMORY.md'), 'The user lives in Bergen and prefers tea.\n')
    let calls = 0
    const hold = gate()
    anthropic.script((request) => {
      if (++calls === 1) return anthropicToolUse([{ id: 'toolu_m', name: 'memory_search', input: { query: 'where does the user live' } }], { text: 'Checking.' })
      const result = request.body.messages.at(-1).content[0].content[0].text
      const city = /lives in (\w+)/.exec(JSON.parse(result).results[0].snippet)?.[1]
      return anthropicReply(['You live', hold, ` in ${city}.`])
    })
    const client = await connect()
    await client.request('chat.history', { sessionKey: 'main' })
    await client.request('chat.send', { sessionKey: 'main', message: 'where do I live?', idempotencyKey: 'run-mem' })
    // chat deltas stay cumulative across the tool step, so the upstream UI (which keeps the longest) shows both parts.
    await client.waitFor((frame) => frame.event === 'chat' && frame.payload.state === 'delta' && frame.payload.message.content[0].text === 'Checking.\n\nYou live')
    hold.open()
    await client.waitFor(isFinal('run-mem'))
    const history = await client.request('chat.history', { sessionKey: 'main', limit: 200 })
    const messages = history.payload.messages
    expect(messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'toolResult', 'assistant'])
    expect(messages[1].content).toEqual([{ type: 'text', text: 'Checking.' }, { type: 'toolCall', id: 'toolu_m', name: 'memory_search', arguments: { query: 'where does the user live' } }])
    expect(messages[2]).toMatchObject({ toolCallId: 'toolu_m', toolName: 'memory_search', isError: false, details: { results: [{ path: 'MEMORY.md' }] } })
    expect(messages[3].content).toEqual([{ type: 'text', text: 'You live in Bergen.' }])
    // verbose is off: lifecycle and assistant streams only.
    expect(new Set(agentFrames(client.received, 'run-mem').map((frame) => frame.payload.stream))).toEqual(new Set(['lifecycle', 'assistant']))
  })

  it('sends the tool stream when the session is verbose, shaped for the upstream tool cards and sanitised', async () => {
    const { anthropic, workspace, connect } = await setup()
    writeFileSync(join(workspace, 'memory', 'big.md'), `${'word '.repeat(4_000)}end`)
    anthropic.script(anthropicToolUse([{ id: 'toolu_g', name: 'memory_get', input: { path: 'memory/big.md' } }]), anthropicReply(['Read it.']))
    const client = await connect()
    await client.request('sessions.patch', { key: 'main', verboseLevel: 'on' })
    await client.request('chat.send', { sessionKey: 'main', message: 'read the big file', idempotencyKey: 'run-v' })
    await client.waitFor(isFinal('run-v'))
    const frames = agentFrames(client.received, 'run-v')
    const seqs = frames.map((frame) => frame.payload.seq)
    expect(seqs).toEqual(seqs.map((_, index) => index + 1))
    expect(frames[0].payload).toMatchObject({ stream: 'lifecycle', sessionKey: 'main', data: { phase: 'start' } })
    expect(frames.at(-1)!.payload.data).toMatchObject({ phase: 'end' })
    const tool = agentFrames(client.received, 'run-v', 'tool').map((frame) => frame.payload)
    expect(tool).toHaveLength(2)
    expect(tool[0]).toMatchObject({ runId: 'run-v', sessionKey: 'main', data: { phase: 'start', name: 'memory_get', toolCallId: 'toolu_g', args: { path: 'memory/big.md' } } })
    expect(typeof tool[0].ts).toBe('number')
    expect(tool[1].data.result.content[0].text.slice(0, 300)).toContain('word word')
    expect(tool[1].data).toMatchObject({ phase: 'result', name: 'memory_get', toolCallId: 'toolu_g', meta: 'memory/big.md', isError: false })
    const text = tool[1].data.result.content[0].text as string
    expect(text).toHaveLength(8_000 + '\n…(truncated)…'.length)
    expect(text.endsWith('\n…(truncated)…')).toBe(true)
    // The transcript keeps the whole result.
    const history = await client.request('chat.history', { sessionKey: 'main' })
    expect(history.payload.messages[2].content[0].text.length).toBeGreaterThan(20_000)
  })

  it('gives clients with the tool-events capability the tool stream even when verbose is off', async () => {
    const { anthropic, connect } = await setup()
    anthropic.script(anthropicToolUse([{ id: 'toolu_x', name: 'memory_search', input: { query: 'tea' } }]), anthropicReply(['ok']))
    const plain = await connect()
    const capable = await connect({ caps: ['tool-events'] })
    await capable.request('chat.send', { sessionKey: 'main', message: 'tea?', idempotencyKey: 'run-c' })
    await capable.waitFor(isFinal('run-c'))
    // agent events go to every operator connection, watching or not; the lifecycle end is the last one.
    await plain.waitFor((frame) => frame.event === 'agent' && frame.payload.runId === 'run-c' && frame.payload.data.phase === 'end')
    expect(agentFrames(capable.received, 'run-c', 'tool').map((frame) => frame.payload.data.phase)).toEqual(['start', 'result'])
    expect(agentFrames(plain.received, 'run-c', 'tool')).toEqual([])
  })
})

describe('aborting a run during a slow tool over the control socket', () => {
  it('chat.abort stops a web_fetch in flight, closes its connection and keeps the transcript paired', async () => {
    const { createServer } = await import('node:http')
    const { createNodeNetworkAccess } = await import('../../src/runtime/node/node-network-access.js')
    let requestArrived!: () => void
    const arrived = new Promise<void>((resolve) => (requestArrived = resolve))
    let closedByClient!: () => void
    const closed = new Promise<void>((resolve) => (closedByClient = resolve))
    // A page that never finishes: headers and a first chunk, then nothing.
    const slow = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' })
      response.write('<html><body>')
      request.socket.on('close', () => closedByClient())
      requestArrived()
    })
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => { slow.closeAllConnections(); slow.close(() => resolve()) }))
    const { anthropic, gateway, connect } = await setup()
    // Test-only policy: the local server is on 127.0.0.1 and a random port.
    gateway.deps.network = { ...createNodeNetworkAccess(), testPolicy: { allowPrivateAddresses: true, allowAnyPort: true } }
    const url = `http://127.0.0.1:${(slow.address() as { port: number }).port}/slow`
    anthropic.script(anthropicToolUse([{ id: 'toolu_slow', name: 'web_fetch', input: { url } }]))
    const client = await connect({ caps: ['tool-events'] })
    await client.request('chat.history', { sessionKey: 'main' })
    await client.request('chat.send', { sessionKey: 'main', message: 'read that page', idempotencyKey: 'run-slow' })
    await arrived
    await client.waitFor((frame) => frame.event === 'agent' && frame.payload.runId === 'run-slow' && frame.payload.data?.phase === 'start' && frame.payload.data?.name === 'web_fetch')
    const abort = await client.request('chat.abort', { sessionKey: 'main', runId: 'run-slow' })
    expect(abort.payload).toMatchObject({ ok: true, aborted: true })
    await client.waitFor((frame) => frame.event === 'chat' && frame.payload.runId === 'run-slow' && frame.payload.state === 'aborted')
    await closed
    const history = await client.request('chat.history', { sessionKey: 'main' })
    const messages = history.payload.messages
    expect(messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'toolResult', 'assistant'])
    expect(messages[2]).toMatchObject({ toolCallId: 'toolu_slow', isError: true })
    expect(messages[3]).toMatchObject({ stopReason: 'aborted' })
    expect(anthropic.requests).toHaveLength(1)
  })
})
