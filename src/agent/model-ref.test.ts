import { configOf } from '../../test/helpers/config-of.js'
import { describe, expect, it } from 'vitest'
import { parseConfigText, type ResolvedConfig } from '../config/load-config.js'
import {
  contextWindowFor,
  isModelAllowed,
  listAllowedModels,
  notAllowedMessage,
  parseModelRef,
  resolveEffectiveModel,
  resolveFallbacks,
} from './model-ref.js'


describe('parseModelRef', () => {
  it('splits on the first slash only and keeps the model id as written', async () => {
    const config = await configOf({})
    expect(parseModelRef('openrouter/anthropic/claude-opus-4-5', config)).toEqual({
      provider: 'openrouter',
      model: 'anthropic/claude-opus-4-5',
      ref: 'openrouter/anthropic/claude-opus-4-5',
    })
    expect(parseModelRef(' OpenAI/GPT-4o ', config).ref).toBe('openai/GPT-4o')
  })

  it.each([
    ['Z.AI/glm-4.7', 'zai/glm-4.7'],
    ['z-ai/glm-4.7', 'zai/glm-4.7'],
    ['opencode-zen/big', 'opencode/big'],
    ['Qwen/coder', 'qwen-portal/coder'],
    ['anthropic/opus-4.5', 'anthropic/claude-opus-4-5'],
    ['Anthropic/Sonnet-4.5', 'anthropic/claude-sonnet-4-5'],
    ['openai/opus-4.5', 'openai/opus-4.5'],
  ])('normalises %s to %s', async (text, ref) => {
    expect(parseModelRef(text, await configOf({})).ref).toBe(ref)
  })

  it('resolves an alias from agents.defaults.models, case-insensitively', async () => {
    const config = await configOf({ agents: { defaults: { models: { 'openai/gpt-4o': { alias: 'Fast' } } } } })
    expect(parseModelRef('fast', config)).toEqual({ provider: 'openai', model: 'gpt-4o', ref: 'openai/gpt-4o' })
  })

  it('falls back to anthropic with upstream\'s warning when there is no provider and no alias', async () => {
    const config = await configOf({})
    expect(parseModelRef('claude-sonnet-4-5', config)).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      ref: 'anthropic/claude-sonnet-4-5',
      warning: 'Model "claude-sonnet-4-5" specified without provider. Falling back to "anthropic/claude-sonnet-4-5".',
    })
  })

  it('rejects empty refs and refs missing a side', async () => {
    const config = await configOf({})
    expect(() => parseModelRef('  ', config)).toThrow('empty')
    expect(() => parseModelRef('openai/', config)).toThrow('provider/model')
    expect(() => parseModelRef('/gpt-4o', config)).toThrow('provider/model')
  })
})

describe('resolveEffectiveModel', () => {
  const base = {
    agents: {
      defaults: { model: { primary: 'openai/gpt-4o' } },
      list: [{ id: 'main', model: 'anthropic/sonnet-4.5' }, { id: 'ops', model: { primary: 'groq/llama' } }, { id: 'plain' }],
    },
  }

  it('takes the session override, then the agent model (string or object), then the defaults', async () => {
    const config = await configOf(base)
    expect(resolveEffectiveModel({ config, agentId: 'main', sessionOverride: 'xai/grok-4' })).toBe('xai/grok-4')
    expect(resolveEffectiveModel({ config, agentId: 'Main' })).toBe('anthropic/claude-sonnet-4-5')
    expect(resolveEffectiveModel({ config, agentId: 'ops' })).toBe('groq/llama')
    expect(resolveEffectiveModel({ config, agentId: 'plain' })).toBe('openai/gpt-4o')
  })

  it('defaults to anthropic/claude-opus-4-5', async () => {
    expect(resolveEffectiveModel({ config: await configOf({}), agentId: 'main' })).toBe('anthropic/claude-opus-4-5')
  })
})

describe('allowlist', () => {
  it('allows everything when agents.defaults.models is empty', async () => {
    const config = await configOf({})
    expect(isModelAllowed('openai/anything', config)).toBe(true)
  })

  it('allows only listed models once agents.defaults.models has entries, comparing canonical refs', async () => {
    const config = await configOf({ agents: { defaults: { models: { 'Anthropic/opus-4.5': {}, 'openai/gpt-4o': {} } } } })
    expect(isModelAllowed('anthropic/claude-opus-4-5', config)).toBe(true)
    expect(isModelAllowed('openai/gpt-4o', config)).toBe(true)
    expect(isModelAllowed('openai/gpt-5.2', config)).toBe(false)
    expect(notAllowedMessage('openai/gpt-5.2')).toBe('Model "openai/gpt-5.2" is not allowed. Use /model to list available models.')
  })

  it('lists the allowlist with aliases, including the built-in ones attached at load', async () => {
    const config = await configOf({ agents: { defaults: { models: { 'anthropic/claude-opus-4-5': {}, 'groq/llama': { alias: 'l' } } } } })
    expect(listAllowedModels(config)).toEqual([
      { ref: 'anthropic/claude-opus-4-5', alias: 'opus' },
      { ref: 'groq/llama', alias: 'l' },
    ])
  })

  it('without an allowlist, lists the configured primary, fallbacks and custom provider models', async () => {
    const config = await configOf({
      agents: { defaults: { model: { primary: 'openai/gpt-4o', fallbacks: ['groq/llama', 'openai/gpt-4o'] } } },
      models: { providers: { ollama: { baseUrl: 'http://127.0.0.1:11434/v1', models: [{ id: 'qwen3', name: 'Qwen 3' }] } } },
    })
    expect(listAllowedModels(config)).toEqual([{ ref: 'openai/gpt-4o' }, { ref: 'groq/llama' }, { ref: 'ollama/qwen3' }])
  })
})

describe('resolveFallbacks', () => {
  it('uses the global list when the agent has none of its own', async () => {
    const config = await configOf({
      agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-4o'] } }, list: [{ id: 'main', model: 'groq/llama' }] },
    })
    expect(resolveFallbacks({ config, agentId: 'main' })).toEqual(['openai/gpt-4o'])
  })

  it('lets the agent list replace the global one, even when it is empty', async () => {
    const config = await configOf({
      agents: {
        defaults: { model: { fallbacks: ['openai/gpt-4o'] } },
        list: [{ id: 'a', model: { fallbacks: ['xai/grok-4', 'xai/grok-4'] } }, { id: 'b', model: { primary: 'groq/llama', fallbacks: [] } }],
      },
    })
    expect(resolveFallbacks({ config, agentId: 'a' })).toEqual(['xai/grok-4'])
    expect(resolveFallbacks({ config, agentId: 'b' })).toEqual([])
  })

  it('silently skips fallbacks outside the allowlist', async () => {
    const config = await configOf({
      agents: {
        defaults: {
          model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-4o', 'groq/llama'] },
          models: { 'anthropic/claude-opus-4-5': {}, 'groq/llama': {} },
        },
      },
    })
    expect(resolveFallbacks({ config, agentId: 'main' })).toEqual(['groq/llama'])
  })
})

describe('contextWindowFor', () => {
  it('takes the custom model entry, then the catalog, then 200 000', async () => {
    const config = await configOf({
      models: { providers: { ollama: { baseUrl: 'http://127.0.0.1:11434/v1', models: [{ id: 'qwen3', name: 'Q', contextWindow: 32_768 }] } } },
    })
    expect(contextWindowFor('ollama/qwen3', config)).toBe(32_768)
    expect(contextWindowFor('openai/gpt-4o', config)).toBe(128_000)
    expect(contextWindowFor('openrouter/openai/gpt-4o', config)).toBe(128_000)
    expect(contextWindowFor('ollama/unknown', config)).toBe(200_000)
  })
})
