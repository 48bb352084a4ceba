import OpenAI from 'openai'
import { afterAll, expect, it } from 'vitest'
import { anthropicReply, anthropicToolUse, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { startMcpTestServer, type McpTestServer } from '../helpers/mcp-test-server.js'
import { describeRuntimes, MATRIX_TOKEN } from './runtimes.js'

const NOTES_TOKEN = 'matrix-notes-token-5d1e'

describeRuntimes('MCP server tools', (runtime) => {
  let anthropic: FakeServer
  let mcp: McpTestServer
  const gateway = runtime.start(async () => {
    anthropic = await startFakeAnthropic()
    mcp = await startMcpTestServer({ token: NOTES_TOKEN })
    const config = `{
      gateway: { mode: "local", http: { endpoints: { chatCompletions: { enabled: true } } } },
      agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } },
      mcp: { servers: { notes: { url: "${mcp.url}", allowPrivateNetwork: true, headers: { Authorization: "Bearer \${NOTES_TOKEN}" } } } },
    }`
    return { config, env: { ANTHROPIC_API_KEY: 'sk-ant-matrix', ANTHROPIC_BASE_URL: anthropic.url, NOTES_TOKEN } }
  })
  afterAll(async () => {
    await anthropic?.close()
    await mcp?.close()
  })

  it('offers the server\'s tools under prefixed names, runs one and answers with its result', async () => {
    let calls = 0
    let offered: string[] = []
    anthropic.script((request) => {
      if (++calls === 1) {
        offered = (request.body.tools ?? []).map((tool: { name: string }) => tool.name)
        return anthropicToolUse([{ id: 'toolu_m', name: 'notes__echo', input: { text: 'from the matrix' } }])
      }
      return anthropicReply([`Tool said: ${request.body.messages.at(-1).content[0].content[0].text}`])
    })
    const client = new OpenAI({ apiKey: MATRIX_TOKEN, baseURL: `${gateway().baseUrl}/v1`, maxRetries: 0 })
    const completion = await client.chat.completions.create({ model: 'clawdbot:main', messages: [{ role: 'user', content: 'echo something' }] })
    expect(offered).toEqual(expect.arrayContaining(['notes__echo', 'notes__fail', 'notes__slow', 'notes__image']))
    expect(completion.choices[0]!.message.content).toBe('Tool said: echo: from the matrix')
    expect(mcp.requests.filter((request) => request.method === 'POST').every((request) => request.authorization === `Bearer ${NOTES_TOKEN}`)).toBe(true)
    expect(gateway().logs()).not.toContain(NOTES_TOKEN)
  })
})
