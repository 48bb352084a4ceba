import { describe, expect, it } from 'vitest'
import { getDefaultAgentId, normalizeAgentId } from './config-lookup.js'

describe('getDefaultAgentId', () => {
  it('picks the first default agent, else the first entry, else "main"', () => {
    expect(getDefaultAgentId({ agents: { list: [{ id: 'a' }, { id: 'b', default: true }, { id: 'c', default: true }] } })).toBe('b')
    expect(getDefaultAgentId({ agents: { list: [{ id: 'First' }, { id: 'second' }] } })).toBe('first')
    expect(getDefaultAgentId({})).toBe('main')
  })
})

describe('normalizeAgentId', () => {
  it('lower-cases and replaces characters that cannot appear in session keys', () => {
    expect(normalizeAgentId('Work Bot!')).toBe('work-bot')
    expect(normalizeAgentId('ok_id-1')).toBe('ok_id-1')
    expect(normalizeAgentId('***')).toBe('main')
    expect(normalizeAgentId('x'.repeat(80))).toHaveLength(64)
  })
})
