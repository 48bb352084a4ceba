import { describe, expect, it } from 'vitest'
import { applyDefaults } from '../config/apply-defaults.js'
import { ConfigSchema } from '../config/schema.js'
import { checkGroup, matchesAllowList } from './access-policy.js'
import type { InboundMessage } from './inbound-message.js'
import { isMentioned, parseCommand } from './inbound-message.js'
import { parseTelegramTarget, toTelegramTarget } from './telegram-target.js'
import type { ResolvedTelegramAccount } from './resolve-telegram-account.js'

const resolved = (value: unknown) => applyDefaults(ConfigSchema.parse(value), {}).config
const message = (fields: Partial<InboundMessage>): InboundMessage => ({
  kind: 'dm',
  chatId: '42',
  messageId: 1,
  isForum: false,
  sender: { id: '42', username: 'ann', name: 'Ann', isBot: false },
  body: 'hi',
  rawText: 'hi',
  entities: [],
  replyToBot: false,
  photoFileIds: [],
  ...fields,
})

describe('Telegram routing and session keys', () => {
  it('builds upstream\'s keys for DMs, private topics, groups and forum topics', () => {
    const config = resolved({})
    expect(toTelegramTarget(config, 'default', message({})).sessionKey).toBe('agent:main:main')
    expect(toTelegramTarget(resolved({ session: { dmScope: 'per-channel-peer' } }), 'default', message({ threadId: '5' })).sessionKey).toBe('agent:main:telegram:dm:42:thread:5')
    expect(toTelegramTarget(config, 'default', message({ kind: 'group', chatId: '-100', threadId: undefined })).sessionKey).toBe('agent:main:telegram:group:-100')
    expect(toTelegramTarget(config, 'default', message({ kind: 'group', chatId: '-100', threadId: '9', isForum: true })).sessionKey).toBe('agent:main:telegram:group:-100:topic:9')
  })

  it('routes a forum topic by its exact peer id binding, and not by the bare group id', () => {
    const config = resolved({
      agents: { list: [{ id: 'main', default: true }, { id: 'ops' }, { id: 'team' }] },
      bindings: [
        { agentId: 'ops', match: { channel: 'telegram', peer: { kind: 'group', id: '-100:topic:9' } } },
        { agentId: 'team', match: { channel: 'telegram', peer: { kind: 'group', id: '-100' } } },
      ],
    })
    expect(toTelegramTarget(config, 'default', message({ kind: 'group', chatId: '-100', threadId: '9', isForum: true })).agentId).toBe('ops')
    expect(toTelegramTarget(config, 'default', message({ kind: 'group', chatId: '-100', threadId: '3', isForum: true })).agentId).toBe('main')
  })

  it('parses delivery targets', () => {
    expect(parseTelegramTarget('123')).toEqual({ chatId: '123' })
    expect(parseTelegramTarget('tg:-1001234')).toEqual({ chatId: '-1001234' })
    expect(parseTelegramTarget('telegram:group:-100:topic:9')).toEqual({ chatId: '-100', threadId: '9' })
    expect(parseTelegramTarget('-100:9')).toEqual({ chatId: '-100', threadId: '9' })
    expect(parseTelegramTarget('https://t.me/my_channel')).toEqual({ chatId: '@my_channel' })
    expect(parseTelegramTarget('hello world')).toBeUndefined()
  })
})

describe('Telegram access and mentions', () => {
  const account = (settings: Record<string, unknown>, groupPolicy: 'open' | 'allowlist' | 'disabled' = 'allowlist') =>
    ({ accountId: 'default', enabled: true, tokenSource: 'env', settings, hasConfigBlock: true, groupPolicy, dmPolicy: 'pairing' }) as ResolvedTelegramAccount

  it('matches ids exactly and usernames case-insensitively with prefixes stripped', () => {
    expect(matchesAllowList([' telegram:42 '], { id: '42' })).toBe(true)
    expect(matchesAllowList(['TG:@Ann'], { id: '1', username: 'ann' })).toBe(true)
    expect(matchesAllowList(['4'], { id: '42' })).toBe(false)
    expect(matchesAllowList(['*'], { id: '1' })).toBe(true)
  })

  it('applies the group rules in order, with paired users feeding the group list', () => {
    const place = { chatId: '-5' }
    expect(checkGroup(account({}), place, { id: '42' }, [])).toEqual({ allowed: false, reason: 'no-group-allowlist' })
    expect(checkGroup(account({}), place, { id: '42' }, ['42'])).toMatchObject({ allowed: true })
    expect(checkGroup(account({ groupAllowFrom: ['42'], groups: { '-6': {} } }), place, { id: '42' }, [])).toEqual({ allowed: false, reason: 'group-not-allowed' })
    expect(checkGroup(account({ groups: { '-5': { enabled: false } } }, 'open'), place, { id: '42' }, [])).toEqual({ allowed: false, reason: 'group-disabled' })
    expect(checkGroup(account({ groups: { '-5': { allowFrom: ['7'] } } }, 'open'), place, { id: '42' }, [])).toEqual({ allowed: false, reason: 'sender-not-allowed' })
    expect(checkGroup(account({}, 'disabled'), place, { id: '42' }, ['42'])).toEqual({ allowed: false, reason: 'group-policy-disabled' })
  })

  it('detects @bot mentions, replies to the bot, and regexes only without mention entities', () => {
    const patterns = [/\bclawd\b/i]
    expect(isMentioned(message({ rawText: 'Hey @Clawd_Test_Bot' }), 'clawd_test_bot', patterns)).toBe(true)
    expect(isMentioned(message({ rawText: 'thanks', replyToBot: true }), 'clawd_test_bot', patterns)).toBe(true)
    expect(isMentioned(message({ rawText: 'ask clawd' }), 'clawd_test_bot', patterns)).toBe(true)
    expect(isMentioned(message({ rawText: '@bob ask clawd', entities: [{ type: 'mention', offset: 0, length: 4 }] }), 'clawd_test_bot', patterns)).toBe(false)
  })

  it('normalises commands and ignores commands for another bot', () => {
    expect(parseCommand('/status@clawd_test_bot', 'clawd_test_bot')).toEqual({ name: 'status', args: '' })
    expect(parseCommand('/model: anthropic/x', 'clawd_test_bot')).toEqual({ name: 'model', args: 'anthropic/x' })
    expect(parseCommand('/status@other_bot', 'clawd_test_bot')).toBeUndefined()
  })
})
