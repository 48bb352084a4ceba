import * as Anthropic from '@anthropic-ai/sdk'
import * as OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.js'
import { CONTEXT_OVERFLOW_TEXT, OVERLOADED_TEXT, TIMEOUT_TEXT, toFriendlyError } from './friendly-error.js'
import { AllModelsFailedError } from './run-with-failover.js'

function anthropicError(status: number, type: string, message: string): Error {
  return Anthropic.APIError.generate(status, { type: 'error', error: { type, message } }, undefined, new Headers())
}

describe('toFriendlyError', () => {
  it('rewrites overload and rate limits', () => {
    expect(toFriendlyError(anthropicError(529, 'overloaded_error', 'Overloaded'))).toBe(
      'The AI service is temporarily overloaded. Please try again in a moment.',
    )
    expect(toFriendlyError(new Error('Rate limit reached'))).toBe(OVERLOADED_TEXT)
  })

  it('rewrites timeouts', () => {
    expect(toFriendlyError(new OpenAI.APIConnectionTimeoutError())).toBe('LLM request timed out.')
    expect(toFriendlyError(new DOMException('signal timed out', 'TimeoutError'))).toBe(TIMEOUT_TEXT)
  })

  it('shows the API message of a plain provider 4xx, never the raw body', () => {
    const text = toFriendlyError(anthropicError(400, 'invalid_request_error', 'messages: roles must alternate'))
    expect(text).toBe('LLM request rejected: messages: roles must alternate')
    expect(text).not.toContain('{')
  })

  it('redacts keys echoed by the provider', () => {
    const error = OpenAI.APIError.generate(
      401,
      { error: { message: 'Incorrect API key provided: sk-proj-AbCdEf123456. You can find your key online.' } },
      undefined,
      new Headers(),
    )
    const text = toFriendlyError(error)
    expect(text).toBe('LLM request rejected: Incorrect API key provided: [redacted]. You can find your key online.')
  })

  it('explains a context overflow', () => {
    expect(toFriendlyError(anthropicError(400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'))).toBe(
      'Context overflow: prompt too large for the model. Try /new to start a fresh session.',
    )
    expect(toFriendlyError(new Error('context_length_exceeded'))).toBe(CONTEXT_OVERFLOW_TEXT)
  })

  it('wraps AllModelsFailedError in the agent-failed text, pointing at our logs', () => {
    const error = new AllModelsFailedError([
      { ref: 'anthropic/claude-opus-4-5', profileId: 'anthropic:env', reason: 'rate_limit', message: 'Overloaded' },
      { ref: 'openai/gpt-4o', profileId: 'openai:env', reason: 'auth', message: 'Incorrect API key provided' },
    ])
    expect(toFriendlyError(error)).toBe(
      '⚠️ Agent failed before reply: All models failed (2): anthropic/claude-opus-4-5: Overloaded (rate_limit) | ' +
        'openai/gpt-4o: Incorrect API key provided (auth). Details are in the gateway log.',
    )
    expect(toFriendlyError(error)).not.toContain('moltbot')
  })

  it('uses the agent-failed text for anything else, without a doubled full stop', () => {
    expect(toFriendlyError(anthropicError(500, 'api_error', 'Internal server error.'))).toBe(
      '⚠️ Agent failed before reply: Internal server error. Details are in the gateway log.',
    )
    expect(toFriendlyError(new AppError('bad_request', '[agent] model is not allowed'))).toBe(
      '⚠️ Agent failed before reply: [agent] model is not allowed. Details are in the gateway log.',
    )
    expect(toFriendlyError('boom')).toContain('Agent failed before reply: boom.')
  })
})
