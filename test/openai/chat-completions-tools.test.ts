import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { anthropicReply, anthropicToolUse } from '../helpers/fake-anthropic-server.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startRuntimeFixture } from '../helpers/runtime-fixture.js'
import { serveApp } from '../helpers/serve-app.js'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup() {
  const fixture = await startRuntimeFixture({
    agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } },
    gateway: { http: { endpoints: { chatCompletions: { enabled: true } } } },
  })
  fixture.workspace.files['/state/workspace/MEMORY.md'] = 'Wifi password at the cabin: fjord-2026'
  const server = await serveApp(createApp(fixture.deps, { agents: fixture.runtime }))
  cleanups.push(fixture.close, server.close)
  return { fixture, client: new OpenAI({ apiKey: TEST_TOKEN, baseURL: `${server.url}/v1`, maxRetries: 0 }) }
}

describe('POST /v1/chat/completions with tools', () => {
  it('runs tool calls server-side and returns only the final text', async () => {
    const { fixture, client } = await setup()
    fixture.anthropic.script(anthropicToolUse([{ id: 'toolu_1', name: 'memory_search', input: { query: 'wifi cabin' } }], { text: 'Checking.' }), anthropicReply(['It is fjord-2026.']))
    const completion = await client.chat.completions.create({ model: 'clawdbot:main', messages: [{ role: 'user', content: 'cabin wifi?' }] })
    expect(completion.choices[0]).toMatchObject({ finish_reason: 'stop', message: { role: 'assistant', content: 'It is fjord-2026.' } })
    expect(completion.choices[0].message.tool_calls).toBeUndefined()
    expect(fixture.anthropic.requests).toHaveLength(2)
  })

  it('streams text from before and after the tool step, apart, without tool_calls chunks', async () => {
    const { fixture, client } = await setup()
    fixture.anthropic.script(anthropicToolUse([{ id: 'toolu_1', name: 'memory_search', input: { query: 'wifi' } }], { text: 'Checking.' }), anthropicReply(['It is ', 'fjord-2026.']))
    const stream = await client.chat.completions.create({ model: 'clawdbot:main', stream: true, messages: [{ role: 'user', content: 'cabin wifi?' }] })
    let text = ''
    for await (const chunk of stream) {
      expect(chunk.choices[0]?.delta?.tool_calls).toBeUndefined()
      text += chunk.choices[0]?.delta?.content ?? ''
    }
    expect(text).toBe('Checking.\n\nIt is fjord-2026.')
  })
})
