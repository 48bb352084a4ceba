import { describe, expect, it } from 'vitest'
import {
  canonicalizeSessionKey,
  channelSessionKey,
  cronSessionKey,
  directSessionKey,
  groupSessionKey,
  hookSessionKey,
  mainSessionKey,
  parseAgentIdFromKey,
  sessionKind,
  slashSessionKey,
  threadSessionKey,
} from './session-key.js'

describe('directSessionKey', () => {
  const base = { agentId: 'Main', peerId: '1234', accountId: 'Work' }

  it('shares one main session across DM senders by default (dmScope main)', () => {
    expect(directSessionKey(base)).toBe('agent:main:main')
    expect(directSessionKey({ ...base, peerId: '999', dmScope: 'main' })).toBe('agent:main:main')
  })

  it('builds the key of each non-main dmScope', () => {
    expect(directSessionKey({ ...base, dmScope: 'per-peer' })).toBe('agent:main:dm:1234')
    expect(directSessionKey({ ...base, dmScope: 'per-channel-peer' })).toBe('agent:main:discord:dm:1234')
    expect(directSessionKey({ ...base, dmScope: 'per-account-channel-peer' })).toBe('agent:main:discord:work:dm:1234')
    expect(directSessionKey({ agentId: 'main', peerId: '5', dmScope: 'per-account-channel-peer' })).toBe(
      'agent:main:discord:default:dm:5',
    )
  })

  it('replaces a linked peer id with its canonical name, except in the main scope', () => {
    const identityLinks = { Alice: ['telegram:77', 'Discord:1234'] }
    expect(directSessionKey({ ...base, dmScope: 'per-peer', identityLinks })).toBe('agent:main:dm:alice')
    expect(directSessionKey({ ...base, dmScope: 'per-channel-peer', identityLinks })).toBe('agent:main:discord:dm:alice')
    expect(directSessionKey({ ...base, dmScope: 'per-peer', peerId: '77', identityLinks })).toBe('agent:main:dm:77')
    expect(directSessionKey({ ...base, identityLinks })).toBe('agent:main:main')
  })

  it('sends everything to the global session under scope global', () => {
    expect(directSessionKey({ ...base, dmScope: 'per-peer', scope: 'global' })).toBe('global')
  })
})

describe('room and other session keys', () => {
  it('builds guild channel, group DM and slash keys', () => {
    expect(channelSessionKey('main', '123')).toBe('agent:main:discord:channel:123')
    expect(groupSessionKey('Ops Team', '456')).toBe('agent:ops-team:discord:group:456')
    expect(slashSessionKey('main', '789')).toBe('agent:main:discord:slash:789')
    expect(mainSessionKey('Work')).toBe('agent:work:main')
  })

  it('gives a thread its own channel key, with no :thread: suffix, and remembers the parent', () => {
    expect(threadSessionKey('main', '900', '123')).toEqual({
      key: 'agent:main:discord:channel:900',
      parentKey: 'agent:main:discord:channel:123',
    })
  })

  it('builds agent-scoped cron and hook keys, with a fresh uuid per hook run', () => {
    expect(cronSessionKey('main', 'Nightly')).toBe('agent:main:cron:nightly')
    expect(hookSessionKey('main', 'abc')).toBe('agent:main:hook:abc')
    const first = hookSessionKey('main')
    expect(first).toMatch(/^agent:main:hook:[0-9a-f-]{36}$/)
    expect(hookSessionKey('main')).not.toBe(first)
  })
})

describe('canonicalizeSessionKey', () => {
  it.each([
    ['main', 'agent:work:main'],
    ['MAIN', 'agent:work:main'],
    ['', 'agent:work:main'],
    ['foo', 'agent:work:foo'],
    ['cron:nightly', 'agent:work:cron:nightly'],
    ['agent:main:main', 'agent:main:main'],
    ['Agent:Ops:Discord:Channel:1', 'agent:ops:discord:channel:1'],
    ['agent:ops', 'agent:ops:main'],
    ['agent:Bad Id!:x', 'agent:bad-id:x'],
    ['global', 'global'],
    ['unknown', 'unknown'],
  ])('%j → %j', (key, expected) => {
    expect(canonicalizeSessionKey(key, 'work')).toBe(expected)
  })
})

describe('parseAgentIdFromKey', () => {
  it('returns the agent id of agent keys and undefined for bare keys', () => {
    expect(parseAgentIdFromKey('agent:ops:discord:channel:1')).toBe('ops')
    expect(parseAgentIdFromKey('AGENT:Ops:main')).toBe('ops')
    expect(parseAgentIdFromKey('main')).toBeUndefined()
    expect(parseAgentIdFromKey('global')).toBeUndefined()
  })
})

describe('sessionKind', () => {
  it('maps keys and chat types to the kinds sessions.list reports', () => {
    expect(sessionKind('global')).toBe('global')
    expect(sessionKind('unknown')).toBe('unknown')
    expect(sessionKind('agent:main:discord:channel:1')).toBe('group')
    expect(sessionKind('agent:main:discord:group:1')).toBe('group')
    expect(sessionKind('agent:main:main')).toBe('direct')
    expect(sessionKind('agent:main:dm:5')).toBe('direct')
    expect(sessionKind('agent:main:custom', 'channel')).toBe('group')
  })
})
