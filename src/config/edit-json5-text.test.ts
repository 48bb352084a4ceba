import { describe, expect, it } from 'vitest'
import { applyMergePatchToText, diffToMergePatch } from './edit-json5-text.js'

const SAMPLE = `{
  // JSON5: comments and trailing commas are fine
  gateway: { mode: "local" },
  agents: {
    defaults: { model: { primary: "anthropic/claude-opus-4-5" } }, // the default model
    list: [{ id: "main", default: true }],
  },
  /* Discord */
  channels: {
    discord: {
      'dm': { policy: "pairing" },
      groupPolicy: "allowlist",
    },
  },
}
`

describe('applyMergePatchToText', () => {
  it('changes one value and keeps every comment, quote style and trailing comma', () => {
    const edited = applyMergePatchToText(SAMPLE, { agents: { defaults: { model: { primary: 'openai/gpt-4o' } } } })
    expect(edited).toBe(SAMPLE.replace('"anthropic/claude-opus-4-5"', '"openai/gpt-4o"'))
  })

  it('adds keys at the indentation of their siblings, and into single-line objects', () => {
    const edited = applyMergePatchToText(SAMPLE, { gateway: { port: 3000 }, channels: { discord: { requireMention: true } } })
    expect(edited).toContain('gateway: { mode: "local", port: 3000 },')
    expect(edited).toContain('      groupPolicy: "allowlist",\n      requireMention: true,\n    },')
    expect(edited).toContain('// JSON5: comments and trailing commas are fine')
  })

  it('removes a key with its line and replaces arrays and objects whole, indented', () => {
    const edited = applyMergePatchToText(SAMPLE, { channels: { discord: { groupPolicy: null } }, agents: { list: [{ id: 'main' }, { id: 'work' }] } })!
    expect(edited).not.toContain('groupPolicy')
    expect(edited).toContain("      'dm': { policy: \"pairing\" },\n    },")
    expect(edited).toContain('    list: [\n      {\n        "id": "main"\n      },')
    expect(edited).toContain('/* Discord */')
  })

  it('adds a section to a file without trailing commas without adding one', () => {
    const strict = '{\n  "gateway": { "mode": "local" }\n}\n'
    expect(applyMergePatchToText(strict, { session: { scope: 'global' } })).toBe(
      '{\n  "gateway": { "mode": "local" },\n  session: {\n    "scope": "global"\n  }\n}\n',
    )
  })

  it('gives up (undefined) on text it cannot edit safely', () => {
    expect(applyMergePatchToText('[1, 2]', { a: 1 })).toBeUndefined()
    expect(applyMergePatchToText('{ a: 1 ', { a: 2 })).toBeUndefined()
  })
})

describe('diffToMergePatch', () => {
  it('lists changed, added and removed keys only', () => {
    expect(diffToMergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: 1, b: { c: 2, d: 4 }, e: [1, 2], f: 'x' })).toEqual({ b: { d: 4 }, e: [1, 2], f: 'x' })
    expect(diffToMergePatch({ a: 1, b: 2 }, { a: 1 })).toEqual({ b: null })
  })
})
