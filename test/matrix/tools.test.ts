import OpenAI from 'openai'
import { afterAll, expect, it } from 'vitest'
import { anthropicReply, anthropicToolUse, startFakeAnthropic, type FakeServer, type RecordedRequest } from '../helpers/fake-anthropic-server.js'
import { startFakeSearch } from '../helpers/fake-search-server.js'
import { describeRuntimes, MATRIX_TOKEN } from './runtimes.js'

const CONFIG = '{ gateway: { mode: "local", http: { endpoints: { chatCompletions: { enabled: true } } } }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } } }'

/** The JSON payloads of the tool results the model got back in a request. */
function toolPayloads(request: RecordedRequest): any[] {
  const last = request.body.messages.at(-1)
  return last.content.filter((block: { type: string }) => block.type === 'tool_result').map((block: { content: { text: string }[] }) => JSON.parse(block.content[0].text))
}

describeRuntimes('tools', (runtime) => {
  let anthropic: FakeServer
  let search: Awaited<ReturnType<typeof startFakeSearch>>
  const gateway = runtime.start(async () => {
    anthropic = await startFakeAnthropic()
    search = await startFakeSearch()
    return { config: CONFIG, env: { ANTHROPIC_API_KEY: 'sk-ant-matrix', ANTHROPIC_BASE_URL: anthropic.url, BRAVE_API_KEY: 'brave-matrix', BRAVE_BASE_URL: search.url } }
  })
  afterAll(async () => {
    await anthropic?.close()
    await search?.close()
  })
  const client = () => new OpenAI({ apiKey: MATRIX_TOKEN, baseURL: `${gateway().baseUrl}/v1`, maxRetries: 0 })

  it('runs web_search and the SSRF guard inside the tool loop, then answers', async () => {
    anthropic.script(
      anthropicToolUse([
        { id: 'toolu_s', name: 'web_search', input: { query: 'oslo weather', count: 2 } },
        { id: 'toolu_f', name: 'web_fetch', input: { url: 'http://169.254.169.254/latest/meta-data/' } },
        { id: 'toolu_l', name: 'web_fetch', input: { url: 'http://localhost:8080/admin' } },
      ]),
      anthropicReply(['Cold in Oslo.']),
    )
    const completion = await client().chat.completions.create({ model: 'clawdbot:main', user: `tools-${runtime.name}`, messages: [{ role: 'user', content: 'weather?' }] })
    expect(completion.choices[0]!.message.content).toBe('Cold in Oslo.')
    const [found, metadata, local] = toolPayloads(anthropic.requests.at(-1)!)
    expect(found).toMatchObject({ provider: 'brave', results: [{ title: 'Oslo weather', siteName: 'weather.example' }, { title: 'Yr' }] })
    expect(metadata).toEqual({ status: 'error', tool: 'web_fetch', error: 'Blocked: private/internal IP address' })
    expect(local.error).toMatch(/^Blocked/)
    expect(search.requests.at(-1)!.headers['x-subscription-token']).toBe('brave-matrix')
  })

  it('writes a memory note and finds it again from another session', async () => {
    anthropic.script(
      anthropicToolUse([{ id: 'toolu_w', name: 'write', input: { path: 'memory/2026-01-28.md', content: `Flight to Oslo on Friday (${runtime.name}).` } }]),
      anthropicReply(['Noted.']),
    )
    await client().chat.completions.create({ model: 'clawdbot:main', user: `writer-${runtime.name}`, messages: [{ role: 'user', content: 'remember my flight' }] })
    expect(anthropic.requests.at(-1)!.body.messages.at(-1).content[0].content[0].text).toMatch(/^Successfully wrote \d+ bytes to memory\/2026-01-28.md$/)
    anthropic.script(
      anthropicToolUse([
        { id: 'toolu_q', name: 'memory_search', input: { query: 'flight Oslo' } },
        { id: 'toolu_e', name: 'write', input: { path: 'memory/../../escape.md', content: 'x' } },
      ]),
      anthropicReply(['Friday.']),
    )
    await client().chat.completions.create({ model: 'clawdbot:main', user: `reader-${runtime.name}`, messages: [{ role: 'user', content: 'when is my flight?' }] })
    const [hits, escape] = toolPayloads(anthropic.requests.at(-1)!)
    expect(hits.results[0]).toMatchObject({ path: 'memory/2026-01-28.md', snippet: `Flight to Oslo on Friday (${runtime.name}).` })
    expect(escape).toMatchObject({ status: 'error', error: 'path escapes workspace' })
  })
})
