import { configOf } from '../helpers/config-of.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseConfigText, type ResolvedConfig } from '../../src/config/load-config.js'
import { AppError } from '../../src/errors.js'
import { createProvider } from '../../src/providers/create-provider.js'
import { MissingApiKeyError } from '../../src/providers/missing-api-key-error.js'
import type { ModelProvider, ProviderEvent } from '../../src/providers/model-provider.js'
import { anthropicError, anthropicReply, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { openAiReply, startFakeOpenAi } from '../helpers/fake-openai-server.js'

const AGENT_DIR = '/data/agents/main/agent'
let servers: FakeServer[] = []

beforeEach(() => {
  servers = []
})
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()))
})

async function anthropicServer(): Promise<FakeServer> {
  const server = await startFakeAnthropic()
  servers.push(server)
  return server
}

async function openAiServer(): Promise<FakeServer> {
  const server = await startFakeOpenAi()
  servers.push(server)
  return server
}


async function run(provider: ModelProvider, model = 'test-model'): Promise<ProviderEvent[]> {
  const events: ProviderEvent[] = []
  const request = { model, system: 'sys', messages: [{ role: 'user' as const, content: 'Hi' }], maxTokens: 64 }
  for await (const event of provider.stream({ ...request, signal: new AbortController().signal })) events.push(event)
  return events
}

describe('createProvider', () => {
  it('points anthropic at ANTHROPIC_BASE_URL, and models.providers.anthropic.baseUrl beats it', async () => {
    const fromEnv = await anthropicServer()
    const fromConfig = await anthropicServer()
    fromEnv.script(anthropicReply(['env']))
    fromConfig.script(anthropicReply(['config']))
    const env = { ANTHROPIC_API_KEY: 'sk-ant-api03-k', ANTHROPIC_BASE_URL: fromEnv.url }

    const viaEnv = createProvider('anthropic', { config: await configOf({}), env, fetch, agentDir: AGENT_DIR })
    expect(viaEnv.api).toBe('anthropic-messages')
    expect(await run(viaEnv)).toContainEqual({ type: 'text-delta', text: 'env' })

    const config = await configOf({ models: { providers: { anthropic: { baseUrl: fromConfig.url, models: [] } } } })
    const viaConfig = createProvider('anthropic', { config, env, fetch, agentDir: AGENT_DIR })
    expect(await run(viaConfig)).toContainEqual({ type: 'text-delta', text: 'config' })
    expect(fromEnv.requests).toHaveLength(1)
    expect(fromConfig.requests[0].headers.authorization).toBe('Bearer sk-ant-api03-k')
  })

  it('points openai at OPENAI_BASE_URL and sends max_completion_tokens', async () => {
    const server = await openAiServer()
    server.script(openAiReply(['hi']))
    const env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url }
    const provider = createProvider('openai', { config: await configOf({}), env, fetch, agentDir: AGENT_DIR })
    expect(provider).toMatchObject({ id: 'openai', api: 'openai-completions' })
    await run(provider, 'gpt-5.2')
    expect(server.requests[0].body).toMatchObject({ model: 'gpt-5.2', max_completion_tokens: 64 })
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-test')
  })

  it('ignores OPENAI_BASE_URL for other OpenAI-compatible built-ins', async () => {
    const server = await openAiServer()
    const env = { GROQ_API_KEY: 'gsk', OPENAI_BASE_URL: server.url }
    const requested: string[] = []
    // Records where the provider would have gone, then fails like an unreachable host: tests have no network.
    const recordingFetch: typeof fetch = async (input) => {
      requested.push(input instanceof Request ? input.url : String(input))
      throw new TypeError('fetch failed')
    }
    const groq = createProvider('groq', { config: await configOf({}), env, fetch: recordingFetch, agentDir: AGENT_DIR })
    await expect(run(groq)).rejects.toThrow('[groq] cannot reach api.groq.com: connection failed')
    expect(requested).toEqual(['https://api.groq.com/openai/v1/chat/completions'])
    expect(server.requests).toHaveLength(0)
  })

  it('builds a custom OpenAI-compatible provider with its key and headers from config', async () => {
    const server = await openAiServer()
    server.script(openAiReply(['custom']))
    const config = await configOf({
      models: {
        providers: {
          together: {
            baseUrl: server.url,
            api: 'openai-completions',
            apiKey: 'TOGETHER_KEY',
            headers: { 'X-Title': 'clawdbot' },
            models: [{ id: 'llama-4', name: 'Llama 4' }],
          },
        },
      },
    })
    const provider = createProvider('together', { config, env: { TOGETHER_KEY: 'tk-1' }, fetch, agentDir: AGENT_DIR })
    expect(await run(provider, 'llama-4')).toContainEqual({ type: 'text-delta', text: 'custom' })
    expect(server.requests[0].headers).toMatchObject({ authorization: 'Bearer tk-1', 'x-title': 'clawdbot' })
    expect(server.requests[0].body.max_tokens).toBe(64)
  })

  it('sends no Authorization header to a keyless local OpenAI-compatible server', async () => {
    const server = await openAiServer()
    server.script(openAiReply(['llama']))
    const config = await configOf({ models: { providers: { ollama: { baseUrl: server.url, models: [] } } } })
    const provider = createProvider('ollama', { config, env: {}, fetch, agentDir: AGENT_DIR })
    expect(await run(provider, 'llama3.2')).toContainEqual({ type: 'text-delta', text: 'llama' })
    expect(server.requests[0].headers.authorization).toBeUndefined()
  })

  it('builds a custom anthropic-messages provider', async () => {
    const server = await anthropicServer()
    server.script(anthropicReply(['proxied']))
    const config = await configOf({
      models: { providers: { proxy: { baseUrl: server.url, api: 'anthropic-messages', apiKey: 'proxy-key', models: [] } } },
    })
    const provider = createProvider('proxy', { config, env: {}, fetch, agentDir: AGENT_DIR })
    expect(provider).toMatchObject({ id: 'proxy', api: 'anthropic-messages' })
    expect(await run(provider)).toContainEqual({ type: 'text-delta', text: 'proxied' })
    expect(server.requests[0].headers.authorization).toBe('Bearer proxy-key')
  })

  it('leaves retries to failover by default, but lets callers turn SDK retries on', async () => {
    const server = await anthropicServer()
    const overloaded = () => anthropicError(529, 'overloaded_error', 'Overloaded', { 'retry-after-ms': '1' })
    server.script(overloaded(), overloaded(), anthropicReply(['third time']))
    const context = { config: await configOf({}), env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url }, fetch, agentDir: AGENT_DIR }
    await expect(run(createProvider('anthropic', context))).rejects.toMatchObject({ status: 529 })
    expect(server.requests).toHaveLength(1)
    const retrying = createProvider('anthropic', { ...context, maxRetries: 1 })
    expect(await run(retrying)).toContainEqual({ type: 'text-delta', text: 'third time' })
    expect(server.requests).toHaveLength(3)
  })

  it('throws the missing-key error when a built-in provider has no key', async () => {
    const create = async () => createProvider('xai', { config: await configOf({}), env: {}, fetch, agentDir: AGENT_DIR })
    await expect(create()).rejects.toBeInstanceOf(MissingApiKeyError)
    await expect(create()).rejects.toThrow('Set XAI_API_KEY (fly secrets set XAI_API_KEY=...)')
  })

  it('names the fix and the built-in providers for an unknown provider', async () => {
    const create = async () => createProvider('nope', { config: await configOf({}), env: {}, fetch, agentDir: AGENT_DIR })
    await expect(create()).rejects.toBeInstanceOf(AppError)
    await expect(create()).rejects.toThrow(
      'Unknown model provider "nope": add it under models.providers.nope with api and baseUrl, or use one of: ' +
        'anthropic, openai, google, openrouter, groq, xai, mistral, cerebras.',
    )
  })

  it('rejects a custom provider whose api we do not speak', async () => {
    const config = await configOf({
      models: { providers: { bedrock: { baseUrl: 'https://bedrock.example', api: 'bedrock-converse-stream', models: [] } } },
    })
    expect(() => createProvider('bedrock', { config, env: {}, fetch, agentDir: AGENT_DIR })).toThrow(
      'set models.providers.bedrock.api to openai-completions or anthropic-messages',
    )
  })
})
