import { afterEach, describe, expect, it } from 'vitest'
import { createMcpToolSource, type McpToolSource } from '../../src/mcp/mcp-tool-source.js'
import type { AgentTool, ToolRunContext } from '../../src/tools/agent-tool.js'
import { makeTestDeps } from '../helpers/make-test-deps.js'
import { startMcpTestServer, TINY_PNG, type McpTestServer } from '../helpers/mcp-test-server.js'

let server: McpTestServer | undefined
let source: McpToolSource | undefined
afterEach(async () => {
  await source?.stop()
  await server?.close()
  source = undefined
  server = undefined
})

const refusePrivate: typeof fetch = () => Promise.reject(new Error('blocked: private network address'))
const run = {} as ToolRunContext
const context = (signal = new AbortController().signal) => ({ toolCallId: 'call-1', signal, onUpdate: () => undefined })

async function setup(entry: Record<string, unknown>, options: { token?: string; env?: Record<string, string> } = {}) {
  server = await startMcpTestServer({ token: options.token })
  const configText = JSON.stringify({ mcp: { servers: { notes: { url: server.url, allowPrivateNetwork: true, ...entry } } } })
  const test = await makeTestDeps({ configText, env: options.env })
  source = createMcpToolSource(test.deps, { guarded: refusePrivate, direct: fetch })
  return test
}

const byName = (tools: AgentTool[], name: string) => {
  const tool = tools.find((candidate) => candidate.name === name)
  if (tool === undefined) throw new Error(`no tool ${name} in ${tools.map((candidate) => candidate.name).join(', ')}`)
  return tool
}

describe('MCP tool source', () => {
  it('lists a server\'s tools under prefixed names in the bundle-mcp group and calls them', async () => {
    await setup({})
    const tools = await (source as McpToolSource).list(run)
    expect(tools.map((tool) => tool.name).sort()).toEqual(['notes__echo', 'notes__fail', 'notes__image', 'notes__slow'])
    const echo = byName(tools, 'notes__echo')
    expect(echo.group).toBe('bundle-mcp')
    expect(echo.parameters).toMatchObject({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] })
    expect(await echo.execute({ text: 'hi' }, context())).toMatchObject({ content: [{ type: 'text', text: 'echo: hi' }] })
    expect((source as McpToolSource).status()).toEqual([expect.objectContaining({ name: 'notes', state: 'connected', toolCount: 4 })])
  })

  it('maps isError to a tool error and images to image blocks', async () => {
    await setup({})
    const tools = await (source as McpToolSource).list(run)
    expect(await byName(tools, 'notes__fail').execute({}, context())).toMatchObject({ isError: true, content: [{ type: 'text', text: 'the notes database is locked' }] })
    const image = await byName(tools, 'notes__image').execute({}, context())
    expect(image.content).toEqual([{ type: 'text', text: 'here it is' }, { type: 'image', data: TINY_PNG, mimeType: 'image/png' }])
  })

  it('sends configured headers and applies the tool filter', async () => {
    await setup({ headers: { Authorization: 'Bearer ${NOTES_TOKEN}' }, toolFilter: { include: ['echo', 'notes__sl*'] } }, { token: 'sekrit-notes-token', env: { NOTES_TOKEN: 'sekrit-notes-token' } })
    const tools = await (source as McpToolSource).list(run)
    expect(tools.map((tool) => tool.name).sort()).toEqual(['notes__echo', 'notes__slow'])
    expect((server as McpTestServer).requests.every((request) => request.authorization === 'Bearer sekrit-notes-token')).toBe(true)
    expect(JSON.stringify((source as McpToolSource).status())).not.toContain('sekrit')
  })

  it('aborts a slow call with the run signal', async () => {
    await setup({})
    const slow = byName(await (source as McpToolSource).list(run), 'notes__slow')
    const controller = new AbortController()
    const pending = slow.execute({}, context(controller.signal))
    await (server as McpTestServer).waitForSlow()
    controller.abort(new Error('stopped by the user'))
    await expect(pending).rejects.toThrow()
  })

  it('picks up notifications/tools/list_changed', async () => {
    await setup({})
    expect(await (source as McpToolSource).list(run)).toHaveLength(4)
    ;(server as McpTestServer).addTool('summarize')
    let names: string[] = []
    for (let tries = 0; tries < 200 && !names.includes('notes__summarize'); tries += 1) {
      await new Promise((resolve) => setImmediate(resolve))
      names = (await (source as McpToolSource).list(run)).map((tool) => tool.name)
    }
    expect(names).toContain('notes__summarize')
  })

  it('reconnects on a fresh session after the server forgot it, and retries the call once', async () => {
    await setup({})
    const echo = byName(await (source as McpToolSource).list(run), 'notes__echo')
    await (server as McpTestServer).restart()
    expect(await echo.execute({ text: 'again' }, context())).toMatchObject({ content: [{ type: 'text', text: 'echo: again' }] })
    const initializes = (server as McpTestServer).requests.filter((request) => request.method === 'POST' && request.sessionId === undefined)
    expect(initializes).toHaveLength(2)
  })

  it('offers no tools from a server that is down, says why, and never blocks the turn', async () => {
    const test = await setup({})
    await (server as McpTestServer).close()
    server = undefined
    expect(await (source as McpToolSource).list(run)).toEqual([])
    const [status] = (source as McpToolSource).status()
    expect(status).toMatchObject({ name: 'notes', state: 'error' })
    expect(status?.lastError).toBeTruthy()
    expect(test.records.some((record) => record.subsystem === 'mcp' && /notes: .*retrying in/.test(record.message))).toBe(true)
  })

  it('refuses a private address unless the entry allows it', async () => {
    server = await startMcpTestServer()
    const test = await makeTestDeps({ configText: JSON.stringify({ mcp: { servers: { notes: { url: server.url } } } }) })
    source = createMcpToolSource(test.deps, { guarded: refusePrivate, direct: fetch })
    expect(await source.list(run)).toEqual([])
    expect(source.status()[0]?.lastError).toMatch(/private network/)
    expect(server.requests).toHaveLength(0)
  })

  it('ends the session with DELETE on stop', async () => {
    await setup({})
    await (source as McpToolSource).list(run)
    await (source as McpToolSource).stop()
    expect((server as McpTestServer).requests.some((request) => request.method === 'DELETE')).toBe(true)
  })

  it('follows config edits: removed servers disconnect, disabled ones offer nothing', async () => {
    const test = await setup({})
    expect(await (source as McpToolSource).list(run)).toHaveLength(4)
    test.deps.state.config = { ...test.deps.state.config, mcp: { servers: { notes: { url: (server as McpTestServer).url, allowPrivateNetwork: true, enabled: false } } } }
    expect(await (source as McpToolSource).list(run)).toEqual([])
    expect((source as McpToolSource).status()[0]?.state).toBe('disabled')
    test.deps.state.config = { ...test.deps.state.config, mcp: {} }
    expect((source as McpToolSource).status()).toEqual([])
  })
})
