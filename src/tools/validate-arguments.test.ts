import { describe, expect, it } from 'vitest'
import { validateArguments } from './validate-arguments.js'

const schema = {
  type: 'object',
  properties: {
    query: { type: 'string' },
    count: { type: 'number', minimum: 1, maximum: 10 },
    exact: { type: 'boolean' },
    mode: { type: 'string', enum: ['markdown', 'text'] },
    kinds: { type: 'array', items: { type: 'string' } },
    nested: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
  },
  required: ['query'],
}

describe('validateArguments', () => {
  it('coerces like AJV coerceTypes and writes the coerced values back', () => {
    const args: Record<string, unknown> = { query: 42, count: '3', exact: 'true', kinds: ['a', 1], nested: { id: '7' } }
    expect(validateArguments('t', schema, args)).toBeUndefined()
    expect(args).toEqual({ query: '42', count: 3, exact: true, kinds: ['a', '1'], nested: { id: 7 } })
  })

  it('collects every problem in upstream format', () => {
    const text = validateArguments('web_search', schema, { count: 0, mode: 'html', nested: {}, exact: 'maybe' })
    expect(text).toBe(
      [
        'Validation failed for tool "web_search":',
        "  - query: must have required property 'query'",
        '  - count: must be >= 1',
        '  - mode: must be equal to one of the allowed values',
        "  - nested: must have required property 'id'",
        '  - exact: must be boolean',
        '',
        'Received arguments:',
        '{\n  "count": 0,\n  "mode": "html",\n  "nested": {},\n  "exact": "maybe"\n}',
      ].join('\n'),
    )
  })
})
