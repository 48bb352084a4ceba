import { describe, expect, it } from 'vitest'
import { passesToolFilter, toMcpToolNames } from './mcp-tool-names.js'

describe('toMcpToolNames', () => {
  it('joins server and tool with a double underscore', () => {
    expect([...toMcpToolNames('notes', ['search', 'add_note'], new Set())]).toEqual([
      ['notes__search', 'search'],
      ['notes__add_note', 'add_note'],
    ])
  })

  it('replaces characters outside [A-Za-z0-9_-] and prefixes fragments that do not start with a letter', () => {
    const names = toMcpToolNames('1password', ['get.item', '2fa code'], new Set())
    expect([...names.keys()]).toEqual(['mcp-1password__get-item', 'mcp-1password__tool-2fa-code'])
  })

  it('cuts the server part to 30 and the name to 64 characters', () => {
    const [name] = toMcpToolNames('s'.repeat(40), ['t'.repeat(80)], new Set()).keys()
    expect(name).toBe(`${'s'.repeat(30)}__${'t'.repeat(32)}`)
    expect(name).toHaveLength(64)
  })

  it('suffixes case-insensitive collisions, including with names already taken', () => {
    const taken = new Set(['notes__search'])
    const names = toMcpToolNames('Notes', ['search', 'SEARCH', 'search'], taken)
    expect([...names.keys()]).toEqual(['Notes__search-2', 'Notes__SEARCH-3', 'Notes__search-4'])
    const long = toMcpToolNames('a', ['b'.repeat(70), 'b'.repeat(70)], new Set())
    expect([...long.keys()].map((name) => name.length)).toEqual([64, 64])
    expect([...long.keys()][1]?.endsWith('-2')).toBe(true)
  })
})

describe('passesToolFilter', () => {
  it('includes by raw or exposed name with globs, and exclude wins', () => {
    const filter = { include: ['search*', 'notes__add_*'], exclude: ['search_secret'] }
    expect(passesToolFilter(filter, 'search_all', 'notes__search_all')).toBe(true)
    expect(passesToolFilter(filter, 'add_note', 'notes__add_note')).toBe(true)
    expect(passesToolFilter(filter, 'delete', 'notes__delete')).toBe(false)
    expect(passesToolFilter(filter, 'search_secret', 'notes__search_secret')).toBe(false)
    expect(passesToolFilter(undefined, 'x', 'y')).toBe(true)
    expect(passesToolFilter({ exclude: ['*'] }, 'x', 'y')).toBe(false)
  })
})
