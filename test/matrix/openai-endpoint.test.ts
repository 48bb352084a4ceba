import OpenAI from 'openai'
import { afterAll, expect, it } from 'vitest'
import { anthropicReply, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { lastUserText } from '../helpers/runtime-fixture.js'
import { describeRuntimes, MATRIX_TOKEN } from './runtimes.js'

const CONFIG = '{ gateway: { mode: "local", http: { endpoints: { chatCompletions: { enabled: true } } } }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } } }'

describeRuntimes('POST /v1/chat/completions', (runtime) => {
  let anthropic: FakeServer
  const gateway = runtime.start(async () => {
    anthropic = await startFakeAnthropic()
    return { config: CONFIG, env: { ANTHROPIC_API_KEY: 'sk-ant-matrix', ANTHROPIC_BASE_URL: anthropic.url } }
  })
  afterAll(() => anthropic?.close())
  const client = () => new OpenAI({ apiKey: MATRIX_TOKEN, baseURL: `${gateway().baseUrl}/v1`, maxRetries: 0 })

  it('answers the official openai client without streaming', async () => {
    anthropic.script(anthropicReply(['Hi ', 'there'], { usage: { input: 20, output: 2 } }))
    const completion = await client().chat.completions.create({ model: 'clawdbot:main', messages: [{ role: 'user', content: 'hello' }] })
    expect(completion.choices[0]!.message).toMatchObject({ role: 'assistant', content: 'Hi there' })
    expect(completion.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 2 })
    expect(lastUserText(anthropic.requests.at(-1)!.body)).toBe('hello')
  })

  it('streams deltas to the official openai client', async () => {
    anthropic.script(anthropicReply(['one ', 'two ', 'three']))
    const stream = await client().chat.completions.create({ model: 'agent:main', messages: [{ role: 'user', content: 'count' }], stream: true })
    const pieces: string[] = []
    let finish: string | null | undefined
    for await (const chunk of stream) {
      const choice = chunk.choices[0]
      if (choice?.delta?.content) pieces.push(choice.delta.content)
      if (choice?.finish_reason) finish = choice.finish_reason
    }
    expect(pieces.join('')).toBe('one two three')
    expect(finish).toBe('stop')
  })

  it('refuses a request without the gateway token', async () => {
    const refused = new OpenAI({ apiKey: 'wrong-token', baseURL: `${gateway().baseUrl}/v1`, maxRetries: 0 })
    await expect(refused.chat.completions.create({ model: 'clawdbot:main', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 401 })
  })
})
