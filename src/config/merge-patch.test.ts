import { describe, expect, it } from 'vitest'
import { applyMergePatch } from './merge-patch.js'

describe('applyMergePatch', () => {
  it('follows RFC 7386: merge objects, null deletes, arrays and scalars replace', () => {
    const target = { a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] }
    expect(applyMergePatch(target, { a: 'z', c: { f: null }, list: [3] })).toEqual({ a: 'z', c: { d: 'e' }, list: [3] })
    expect(target).toEqual({ a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] })
    expect(applyMergePatch({ a: 1 }, 'text')).toBe('text')
    expect(applyMergePatch('text', { a: { b: null } })).toEqual({ a: {} })
  })

  it('never touches the prototype', () => {
    const patched = applyMergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(patched.polluted).toBeUndefined()
  })
})
