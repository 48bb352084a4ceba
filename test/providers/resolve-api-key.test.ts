import { configOf } from '../helpers/config-of.js'
import { describe, expect, it } from 'vitest'
import { parseConfigText, type ResolvedConfig } from '../../src/config/load-config.js'
import { MissingApiKeyError } from '../../src/providers/missing-api-key-error.js'
import { resolveApiKey } from '../../src/providers/resolve-api-key.js'

const AGENT_DIR = '/data/agents/main/agent'


function customProvider(fields: Record<string, unknown>) {
  return { models: { providers: { custom: { baseUrl: 'https://llm.example.com/v1', models: [], ...fields } } } }
}

describe('resolveApiKey', () => {
  it('prefers ANTHROPIC_OAUTH_TOKEN over ANTHROPIC_API_KEY and ignores blank values', async () => {
    const config = await configOf({})
    const both = { ANTHROPIC_OAUTH_TOKEN: 'sk-ant-oat01-x', ANTHROPIC_API_KEY: 'sk-ant-api03-y' }
    expect(resolveApiKey('anthropic', { config, env: both, agentDir: AGENT_DIR })).toBe('sk-ant-oat01-x')
    const blankToken = { ANTHROPIC_OAUTH_TOKEN: '  ', ANTHROPIC_API_KEY: 'sk-ant-api03-y' }
    expect(resolveApiKey('anthropic', { config, env: blankToken, agentDir: AGENT_DIR })).toBe('sk-ant-api03-y')
  })

  it('reads GEMINI_API_KEY first and GOOGLE_API_KEY as the fallback for google', async () => {
    const config = await configOf({})
    const env = { GEMINI_API_KEY: 'gemini', GOOGLE_API_KEY: 'google' }
    expect(resolveApiKey('google', { config, env, agentDir: AGENT_DIR })).toBe('gemini')
    expect(resolveApiKey('google', { config, env: { GOOGLE_API_KEY: 'google' }, agentDir: AGENT_DIR })).toBe('google')
  })

  it('finds Z_AI_API_KEY for a custom zai provider', async () => {
    const config = await configOf({ models: { providers: { zai: { baseUrl: 'https://api.z.ai/v4', models: [] } } } })
    expect(resolveApiKey('zai', { config, env: { Z_AI_API_KEY: 'z' }, agentDir: AGENT_DIR })).toBe('z')
  })

  it('takes env before models.providers.<id>.apiKey', async () => {
    const config = await configOf({ models: { providers: { openai: { baseUrl: 'https://x.example/v1', apiKey: 'sk-config', models: [] } } } })
    expect(resolveApiKey('openai', { config, env: { OPENAI_API_KEY: 'sk-env' }, agentDir: AGENT_DIR })).toBe('sk-env')
    expect(resolveApiKey('openai', { config, env: {}, agentDir: AGENT_DIR })).toBe('sk-config')
  })

  it('reads an apiKey that names an env var from that variable', async () => {
    const config = await configOf(customProvider({ apiKey: 'CUSTOM_LLM_KEY' }))
    expect(resolveApiKey('custom', { config, env: { CUSTOM_LLM_KEY: 'secret' }, agentDir: AGENT_DIR })).toBe('secret')
    expect(() => resolveApiKey('custom', { config, env: {}, agentDir: AGENT_DIR })).toThrow(
      'models.providers.custom.apiKey names the env var CUSTOM_LLM_KEY, which is not set',
    )
  })

  it('does not run "!command" keys', async () => {
    const config = await configOf(customProvider({ apiKey: '!op read secret', auth: 'api-key' }))
    expect(() => resolveApiKey('custom', { config, env: {}, agentDir: AGENT_DIR })).toThrow('does not support')
  })

  it('throws upstream\'s message plus the variable to set, with no status so failover reads it as auth', async () => {
    const config = await configOf({})
    const error = (() => {
      try {
        resolveApiKey('anthropic', { config, env: {}, agentDir: AGENT_DIR })
      } catch (thrown) {
        return thrown as MissingApiKeyError
      }
      throw new Error('expected a missing key error')
    })()
    expect(error).toBeInstanceOf(MissingApiKeyError)
    expect(error.message).toBe(
      'No API key found for provider "anthropic". Set ANTHROPIC_API_KEY (on Fly: fly secrets set ANTHROPIC_API_KEY=...) ' +
        'or models.providers.anthropic.apiKey.',
    )
    expect((error as unknown as { status?: number }).status).toBeUndefined()
  })

  it('names GEMINI_API_KEY in the hint for google', async () => {
    const config = await configOf({})
    expect(() => resolveApiKey('google', { config, env: {}, agentDir: AGENT_DIR })).toThrow(
      'Set GEMINI_API_KEY (on Fly: fly secrets set GEMINI_API_KEY=...) or models.providers.google.apiKey.',
    )
  })

  it.each(['http://127.0.0.1:11434/v1', 'http://localhost:1234/v1', 'http://[::1]:8080/v1'])(
    'needs no key for a provider on a loopback address (%s)',
    async (baseUrl) => {
      const config = await configOf({ models: { providers: { openai: { baseUrl, auth: 'api-key', models: [] } } } })
      expect(resolveApiKey('openai', { config, env: {}, agentDir: AGENT_DIR })).toBeUndefined()
    },
  )

  it('needs no key for a custom provider without auth or apiKey, but does once auth is set', async () => {
    const open = await configOf(customProvider({}))
    expect(resolveApiKey('custom', { config: open, env: {}, agentDir: AGENT_DIR })).toBeUndefined()
    const keyed = await configOf(customProvider({ auth: 'api-key' }))
    expect(() => resolveApiKey('custom', { config: keyed, env: {}, agentDir: AGENT_DIR })).toThrow(
      'No API key found for provider "custom"',
    )
  })

  it('still needs a key for a custom entry of a provider known to take one (zai)', async () => {
    const config = await configOf({ models: { providers: { zai: { baseUrl: 'https://api.z.ai/v4', models: [] } } } })
    expect(() => resolveApiKey('zai', { config, env: {}, agentDir: AGENT_DIR })).toThrow('Set ZAI_API_KEY')
  })

  it('still needs a key for a built-in provider whose base URL is overridden to a remote host', async () => {
    const config = await configOf({ models: { providers: { openai: { baseUrl: 'https://proxy.example/v1', models: [] } } } })
    expect(() => resolveApiKey('openai', { config, env: {}, agentDir: AGENT_DIR })).toThrow('Set OPENAI_API_KEY')
  })
})
