import * as Anthropic from '@anthropic-ai/sdk'
import * as OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import {
  classifyFailoverError,
  FailoverError,
  isContextOverflow,
  isUserAbort,
  redactSecrets,
  toErrorMessage,
} from './classify-failover-error.js'

/** The error the Anthropic SDK throws for an HTTP error response with this JSON body. */
function anthropicError(status: number, type: string, message: string): Anthropic.APIError {
  return Anthropic.APIError.generate(status, { type: 'error', error: { type, message } }, undefined, new Headers())
}

/** The error the OpenAI SDK throws for an HTTP error response with this JSON body. */
function openaiError(status: number, message: string, code: string | null = null): OpenAI.APIError {
  return OpenAI.APIError.generate(status, { error: { message, type: 'error', code, param: null } }, undefined, new Headers())
}

describe('classifyFailoverError', () => {
  it.each([
    ['Anthropic 529 overloaded_error', anthropicError(529, 'overloaded_error', 'Overloaded'), 'rate_limit'],
    ['Anthropic 429', anthropicError(429, 'rate_limit_error', 'Number of request tokens has exceeded'), 'rate_limit'],
    ['OpenAI 429 quota', openaiError(429, 'You exceeded your current quota, please check your plan'), 'rate_limit'],
    ['Anthropic 401', anthropicError(401, 'authentication_error', 'invalid x-api-key'), 'auth'],
    ['OpenAI 403', openaiError(403, 'Project does not have access'), 'auth'],
    ['a bare 529', { status: 529, message: 'no body' }, 'rate_limit'],
    ['a bare 429', { status: 429 }, 'rate_limit'],
    ['a bare 401', { status: 401 }, 'auth'],
    ['HTTP 402', { status: 402, message: 'whatever' }, 'billing'],
    ['HTTP 408', { statusCode: 408 }, 'timeout'],
    ['status on the cause', new Error('failed', { cause: { status: 429 } }), 'rate_limit'],
  ])('classifies %s by status', (_label, error, reason) => {
    expect(classifyFailoverError(error)).toBe(reason)
  })

  it('classifies an overloaded error body that arrives mid-stream without a status', () => {
    const streamed = Object.assign(new Error('stream error'), {
      error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    })
    expect(classifyFailoverError(streamed)).toBe('rate_limit')
  })

  it.each([
    ['ETIMEDOUT', Object.assign(new Error('connect failed'), { code: 'ETIMEDOUT' })],
    ['ECONNRESET on the cause', new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) })],
    ['TimeoutError', new DOMException('The operation timed out.', 'TimeoutError')],
    ['Anthropic APIConnectionTimeoutError', new Anthropic.APIConnectionTimeoutError()],
    ['OpenAI APIConnectionTimeoutError (its name is plain Error)', new OpenAI.APIConnectionTimeoutError()],
  ])('classifies %s as a timeout', (_label, error) => {
    expect(classifyFailoverError(error)).toBe('timeout')
  })

  it.each([
    ['rate limit', 'Rate limit reached for requests', 'rate_limit'],
    ['resource exhausted', 'RESOURCE_EXHAUSTED: resource has been exhausted', 'rate_limit'],
    ['overloaded', 'The server is overloaded', 'rate_limit'],
    ['format', 'messages.1.content.0.tool_use.id: String should match pattern', 'format'],
    ['billing', 'Your credit balance is too low to access the Anthropic API', 'billing'],
    ['timeout', 'Request timed out after 600s', 'timeout'],
    ['auth', 'OAuth token has expired, please re-authenticate', 'auth'],
    ['rate limit wins over auth', 'unauthorized: too many requests', 'rate_limit'],
    ['format wins over billing', 'invalid request format: 402', 'format'],
  ])('classifies the message "%s"', (_label, message, reason) => {
    expect(classifyFailoverError(new Error(message))).toBe(reason)
  })

  it.each([
    ['a plain 500', anthropicError(500, 'api_error', 'Internal server error')],
    ['a plain 502', { status: 502, message: 'Bad gateway' }],
    ['a plain 503', openaiError(503, 'Service unavailable')],
    ['another 400', anthropicError(400, 'invalid_request_error', 'messages: at least one message is required')],
    ['an image size error', anthropicError(400, 'invalid_request_error', 'messages.0.content.1.image.source.base64: image exceeds 5 MB maximum')],
    ['an image dimension error', new Error('image dimensions exceed max allowed size: 8000 pixels')],
    ['context overflow', anthropicError(400, 'invalid_request_error', 'prompt is too long: 212000 tokens > 200000 maximum')],
    ['OpenAI context overflow', openaiError(400, "This model's maximum context length is 128000 tokens", 'context_length_exceeded')],
    ['an Anthropic user abort', new Anthropic.APIUserAbortError()],
    ['an OpenAI user abort', new OpenAI.APIUserAbortError()],
    ['a user abort whose message mentions a timeout', Object.assign(new Error('aborted: timeout'), { name: 'AbortError' })],
    ['an AbortError', new DOMException('This operation was aborted', 'AbortError')],
    ['a non-error value', 42],
  ])('does not classify %s', (_label, error) => {
    expect(classifyFailoverError(error)).toBeUndefined()
  })

  it('honours a FailoverError thrown by the runtime itself', () => {
    expect(classifyFailoverError(new FailoverError('unknown', 'context window too small'))).toBe('unknown')
  })
})

describe('isUserAbort', () => {
  it('is true for abort-named errors unless the abort was caused by a timeout', () => {
    expect(isUserAbort(new OpenAI.APIUserAbortError())).toBe(true)
    expect(isUserAbort(new Anthropic.APIUserAbortError())).toBe(true)
    expect(isUserAbort(new DOMException('aborted', 'AbortError'))).toBe(true)
    expect(isUserAbort(new Error('Request was aborted.'))).toBe(false)
    const deadline = new DOMException('signal timed out', 'TimeoutError')
    expect(isUserAbort(new Error('aborted', { cause: deadline }))).toBe(false)
    const timedOutAbort = Object.assign(new Error('aborted'), { name: 'AbortError', cause: deadline })
    expect(isUserAbort(timedOutAbort)).toBe(false)
    expect(classifyFailoverError(timedOutAbort)).toBe('timeout')
  })
})

describe('isContextOverflow', () => {
  it('recognises the providers’ overflow messages only', () => {
    expect(isContextOverflow(new Error('prompt is too long: 300000 tokens'))).toBe(true)
    expect(isContextOverflow(openaiError(400, 'too big', 'context_length_exceeded'))).toBe(true)
    expect(isContextOverflow(new Error('input exceeds the context window'))).toBe(true)
    expect(isContextOverflow(new Error('Overloaded'))).toBe(false)
  })
})

describe('toErrorMessage', () => {
  it('prefers the API message over the SDK message that embeds the raw body', () => {
    const error = anthropicError(529, 'overloaded_error', 'Overloaded')
    expect(error.message).toContain('{"type":"error"')
    expect(toErrorMessage(error)).toBe('Overloaded')
    expect(toErrorMessage(openaiError(429, 'Slow\n  down'))).toBe('Slow down')
    expect(toErrorMessage('plain text')).toBe('plain text')
  })

  it('redacts anything that looks like a key', () => {
    const error = openaiError(401, 'Incorrect API key provided: sk-proj-abc123****DEF456. Bearer eyJhbGciOi')
    expect(toErrorMessage(error)).toBe('Incorrect API key provided: [redacted]. Bearer [redacted]')
    expect(redactSecrets('key sk-ant-api03-AAAAAAAAAAAAAAAA end')).toBe('key [redacted] end')
  })
})
