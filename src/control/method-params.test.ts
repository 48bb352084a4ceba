import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { parseMethodParams } from './method-params.js'
import { MethodError } from './methods.js'

const Schema = z.strictObject({
  message: z.string().min(1),
  idempotencyKey: z.string().min(1),
  timeout: z.number().int().min(0).optional(),
  options: z.array(z.string()).min(2).optional(),
})

const failure = (raw: unknown): string => {
  try {
    parseMethodParams('agent', Schema, raw)
  } catch (error) {
    expect(error).toBeInstanceOf(MethodError)
    expect((error as MethodError).code).toBe('INVALID_REQUEST')
    return (error as MethodError).message
  }
  throw new Error('expected a failure')
}

describe('parseMethodParams', () => {
  it('words failures as upstream ajv does, joined with "; "', () => {
    expect(failure({ message: 'hi', idempotencyKey: 'k', extra: 1 })).toBe("invalid agent params: at root: unexpected property 'extra'")
    expect(failure({})).toBe("invalid agent params: must have required property 'message'; must have required property 'idempotencyKey'")
    expect(failure({ message: '', idempotencyKey: 'k', timeout: 1.5 })).toBe('invalid agent params: at /message: must NOT have fewer than 1 characters; at /timeout: must be integer')
    expect(failure({ message: 'm', idempotencyKey: 'k', timeout: -1, options: ['a'] })).toBe('invalid agent params: at /timeout: must be >= 0; at /options: must NOT have fewer than 2 items')
    expect(failure({ message: 42, idempotencyKey: 'k' })).toBe('invalid agent params: at /message: must be string')
  })

  it('returns the parsed params, treating missing params as {}', () => {
    expect(parseMethodParams('agent', Schema, { message: 'm', idempotencyKey: 'k' })).toEqual({ message: 'm', idempotencyKey: 'k' })
    expect(() => parseMethodParams('agent', Schema, undefined)).toThrow("must have required property 'message'")
  })
})
