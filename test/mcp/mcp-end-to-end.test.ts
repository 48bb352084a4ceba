import { afterEach, describe, expect, it } from 'vitest'
import { anthropicReply, anthropicToolUse, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startMcpTestServer, type McpTestServer } from '../helpers/mcp-test-server.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type Frame } from '../helpers/ws-client.js'

const NOTES_TOKEN = 'notes-secret-token-7f3a9c'
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const isFinal = (runId: string) => (frame: Frame) => frame.type === 'event' && frame.event === 'chat' && frame.payload.runId === runId && frame.payload.state === 'final'

async function setup() {
  const mcp: McpTestServer = await startMcpTestServer({ token: NOTES_TOKEN })
  const anthropic: FakeServer = await startFakeAnthropic()
  const gateway = await startTestGateway({ configText: '{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } } }\n' })
  gateway.deps.env = { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: anthropic.url, NOTES_TOKEN }
  gateway.deps.fetch = globalThis.fetch.bind(globalThis)
  cleanups.push(() => mcp.close(), () => anthropic.close(), () => gateway.close(), () => Promise.allSettled(gateway.background))
  const client = await openTestClient(gateway.url, { token: TEST_TOKEN })
  cleanups.push(() => client.close())
  expect((await client.connect()).ok).toBe(true)
  return { mcp, anthropic, gateway, client }
}

describe('MCP servers end to end (config through the control socket, tools through the model)', () => {
  it('a server added with config.patch serves the very next message; its header secret reaches no client, log or model', async () => {
    const { mcp, anthropic, gateway, client } = await setup()
    const before = await client.request('config.get', {})
    const patch = `{ mcp: { servers: { notes: { url: "${mcp.url}", allowPrivateNetwork: true, headers: { Authorization: "Bearer \${NOTES_TOKEN}" } } } } }`
    const patched = await client.request('config.patch', { raw: patch, baseHash: before.payload.hash })
    expect(patched.ok).toBe(true)

    let offered: string[] = []
    let calls = 0
    anthropic.script((request) => {
      if (++calls === 1) {
        offered = (request.body.tools ?? []).map((tool: { name: string }) => tool.name)
        return anthropicToolUse([{ id: 'toolu_n', name: 'notes__echo', input: { text: 'buy milk' } }])
      }
      const result = request.body.messages.at(-1).content[0]
      return anthropicReply([`Saved: ${result.content[0].text}`])
    })
    await client.request('chat.send', { sessionKey: 'main', message: 'note that I need milk', idempotencyKey: 'run-mcp' })
    const final = await client.waitFor(isFinal('run-mcp'))
    expect(offered).toContain('notes__echo')
    expect(final.payload.message.content[0].text).toBe('Saved: echo: buy milk')
    expect(mcp.requests.filter((request) => request.method === 'POST').every((request) => request.authorization === `Bearer ${NOTES_TOKEN}`)).toBe(true)

    const history = await client.request('chat.history', { sessionKey: 'main', limit: 50 })
    expect(history.payload.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'toolResult', 'assistant'])
    const config = await client.request('config.get', {})
    const everything = JSON.stringify([client.received, config, history, anthropic.requests.map((request) => request.body), gateway.records])
    expect(everything).not.toContain(NOTES_TOKEN)
  })

  it('a server that is down at the first message costs the turn nothing', async () => {
    const { mcp, anthropic, client } = await setup()
    const url = mcp.url
    await mcp.close()
    const before = await client.request('config.get', {})
    await client.request('config.patch', { raw: `{ mcp: { servers: { notes: { url: "${url}", allowPrivateNetwork: true } } } }`, baseHash: before.payload.hash })
    let offered: string[] = ['unset']
    anthropic.script((request) => {
      offered = (request.body.tools ?? []).map((tool: { name: string }) => tool.name)
      return anthropicReply(['Hello without notes.'])
    })
    await client.request('chat.send', { sessionKey: 'main', message: 'hi', idempotencyKey: 'run-down' })
    const final = await client.waitFor(isFinal('run-down'))
    expect(final.payload.message.content[0].text).toBe('Hello without notes.')
    expect(offered.some((name) => name.startsWith('notes__'))).toBe(false)
  })

  it('refuses a server on a private address unless its entry sets allowPrivateNetwork', async () => {
    const { mcp, anthropic, gateway, client } = await setup()
    const before = await client.request('config.get', {})
    await client.request('config.patch', { raw: `{ mcp: { servers: { notes: { url: "${mcp.url}" } } } }`, baseHash: before.payload.hash })
    let offered: string[] = ['unset']
    anthropic.script((request) => {
      offered = (request.body.tools ?? []).map((tool: { name: string }) => tool.name)
      return anthropicReply(['No notes for you.'])
    })
    await client.request('chat.send', { sessionKey: 'main', message: 'hi', idempotencyKey: 'run-private' })
    await client.waitFor(isFinal('run-private'))
    expect(offered.some((name) => name.startsWith('notes__'))).toBe(false)
    expect(mcp.requests).toHaveLength(0)
    expect(gateway.records.some((record) => record.subsystem === 'mcp' && /notes: .*(private|loopback|blocked|not allowed)/i.test(record.message))).toBe(true)
  })

  it('refuses stdio servers with a clear config error', async () => {
    const { client } = await setup()
    const before = await client.request('config.get', {})
    const refused = await client.request('config.patch', { raw: '{ mcp: { servers: { shell: { command: "bash", args: ["-c", "id"] } } } }', baseHash: before.payload.hash })
    expect(refused.ok).toBe(false)
    expect(JSON.stringify(refused.error)).toContain('stdio MCP servers are not supported by this gateway')
  })
})
