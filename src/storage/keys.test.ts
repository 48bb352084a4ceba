import { normalizeKey } from 'unstorage'
import { describe, expect, it } from 'vitest'
import {
  authProfilesKey,
  discordAllowFromKey,
  discordPairingKey,
  discordStateKey,
  failoverStateKey,
  fromKeySegment,
  MAX_KEY_SEGMENT_LENGTH,
  sessionsIndexCorruptKey,
  sessionsIndexKey,
  toKeySegment,
  transcriptChunkKey,
  transcriptMetaKey,
  transcriptPrefix,
} from './keys.js'

const AWKWARD_IDS = [
  'main',
  'Main-Agent_2',
  '.hidden',
  '..',
  '../../etc/passwd',
  'a:b:c',
  'a/b\\c',
  'what?x=1',
  'agent:main:discord:dm:123',
  'sessions.json',
  '~7E',
  '%2E',
  'ünïcødé 🦞',
  ' ',
  '123456789012345678',
]

// Every key the scheme can produce for the awkward ids, tagged leaf or prefix.
function allKeys(): { leaves: string[]; prefixes: string[] } {
  const leaves = [discordPairingKey(), discordAllowFromKey(), failoverStateKey()]
  const prefixes: string[] = []
  for (const first of AWKWARD_IDS) {
    leaves.push(sessionsIndexKey(first), authProfilesKey(first), discordStateKey(first))
    leaves.push(sessionsIndexCorruptKey(first, 0), sessionsIndexCorruptKey(first, 1_767_225_600_000))
    for (const second of AWKWARD_IDS) {
      prefixes.push(transcriptPrefix(first, second))
      leaves.push(transcriptChunkKey(first, second, 0), transcriptChunkKey(first, second, 42))
      leaves.push(transcriptMetaKey(first, second))
    }
  }
  return { leaves, prefixes }
}

describe('toKeySegment', () => {
  it.each(AWKWARD_IDS)('round-trips %j', (value) => {
    expect(fromKeySegment(toKeySegment(value))).toBe(value)
  })

  it('keeps plain ids unchanged so common keys stay readable', () => {
    expect(toKeySegment('main')).toBe('main')
    expect(toKeySegment('Main-Agent_2')).toBe('Main-Agent_2')
    expect(toKeySegment('123456789012345678')).toBe('123456789012345678')
  })

  it('leaves no separator, dot or query character in a segment', () => {
    for (const value of AWKWARD_IDS) {
      expect(toKeySegment(value)).toMatch(/^[A-Za-z0-9_~-]+$/)
    }
    expect(toKeySegment('..')).toBe('~2E~2E')
    expect(toKeySegment('a:b')).toBe('a~3Ab')
  })

  it('is injective on ids that look like escapes', () => {
    expect(toKeySegment('~7E')).not.toBe(toKeySegment('~'))
    expect(new Set(AWKWARD_IDS.map(toKeySegment)).size).toBe(AWKWARD_IDS.length)
  })

  it('rejects empty and overlong ids instead of producing a bad key', () => {
    expect(() => toKeySegment('')).toThrow('[storage] a key segment must not be empty')
    expect(() => toKeySegment('a'.repeat(MAX_KEY_SEGMENT_LENGTH + 1))).toThrow(/longer than/)
    expect(toKeySegment('a'.repeat(MAX_KEY_SEGMENT_LENGTH))).toHaveLength(MAX_KEY_SEGMENT_LENGTH)
  })

  it('rejects segments it could not have produced', () => {
    for (const bad of ['a:b', 'a.b', '~', '~4', '~zz', '~2e', '', '~FF']) {
      expect(() => fromKeySegment(bad), bad).toThrow()
    }
  })
})

describe('storage keys', () => {
  it('match the upstream volume layout for plain ids', () => {
    expect(sessionsIndexKey('main')).toBe('agents:main:sessions:sessions.json')
    expect(transcriptPrefix('main', 'abc-123')).toBe('agents:main:sessions:abc-123:')
    expect(transcriptChunkKey('main', 'abc-123', 42)).toBe('agents:main:sessions:abc-123:000042.jsonl')
    expect(transcriptMetaKey('main', 'abc-123')).toBe('agents:main:sessions:abc-123:meta.json')
    expect(sessionsIndexCorruptKey('main', 1700000000000)).toBe('agents:main:sessions:sessions-corrupt-1700000000000.json')
    expect(authProfilesKey('main')).toBe('agents:main:agent:auth-profiles.json')
    expect(discordPairingKey()).toBe('credentials:discord-pairing.json')
    expect(discordAllowFromKey()).toBe('credentials:discord-allowFrom.json')
    expect(discordStateKey('default')).toBe('discord:default:state.json')
    expect(failoverStateKey()).toBe('runtime:failover.json')
  })

  it('survive unstorage key normalization unchanged, so the fs path is exactly the key', () => {
    const { leaves, prefixes } = allKeys()
    for (const key of leaves) expect(normalizeKey(key)).toBe(key)
    for (const prefix of prefixes) expect(normalizeKey(prefix) + ':').toBe(prefix)
  })

  it('end leaf keys in an extension and never give a prefix segment one', () => {
    const { leaves, prefixes } = allKeys()
    for (const key of leaves) {
      const segments = key.split(':')
      expect(segments.at(-1)).toMatch(/^[A-Za-z0-9_-]+\.(json|jsonl)$/)
      for (const segment of segments.slice(0, -1)) expect(segment).toMatch(/^[A-Za-z0-9_~-]+$/)
    }
    for (const prefix of prefixes) {
      expect(prefix.endsWith(':')).toBe(true)
      for (const segment of prefix.slice(0, -1).split(':')) expect(segment).toMatch(/^[A-Za-z0-9_~-]+$/)
    }
  })

  it('never use a leaf key as a directory of another key', () => {
    const { leaves, prefixes } = allKeys()
    const directories = new Set<string>()
    for (const key of [...leaves, ...prefixes]) {
      const segments = key.replace(/:$/, '').split(':')
      for (let length = 1; length < segments.length; length += 1) directories.add(segments.slice(0, length).join(':'))
    }
    for (const leaf of leaves) expect(directories.has(leaf), leaf).toBe(false)
  })

  it('never contain a traversal or separator that the fs driver would act on', () => {
    const { leaves, prefixes } = allKeys()
    for (const key of [...leaves, ...prefixes]) {
      expect(key).not.toMatch(/\.\.|[/\\?]|::/)
    }
  })

  it('give distinct ids distinct keys', () => {
    const { leaves } = allKeys()
    expect(new Set(leaves).size).toBe(leaves.length)
  })
  it('rejects a corrupt-copy timestamp that is not a non-negative integer', () => {
    for (const bad of [-1, 1.5, Number.NaN]) expect(() => sessionsIndexCorruptKey('main', bad)).toThrow(/timestamp/)
  })
})
