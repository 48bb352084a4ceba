import { describe, expect, it } from 'vitest'
import { checkCommandAccess, checkConversationAccess, type AccessRequest } from './access-policy.js'
import { resolveDiscordAccount } from './resolve-discord-account.js'
import type { Config } from '../config/schema.js'

const account = (discord: Record<string, unknown> | undefined, extra: Partial<Config> = {}) =>
  resolveDiscordAccount({ ...extra, channels: discord === undefined ? undefined : { discord: { groupPolicy: 'allowlist', ...discord } as never } }, { DISCORD_BOT_TOKEN: 't' })

const guildRequest = (overrides: Partial<AccessRequest> = {}): AccessRequest => ({
  kind: 'guild',
  user: { id: '10', username: 'alice' },
  guild: { id: '1', name: 'Home' },
  channel: { id: '100', name: 'general', isThread: false },
  pairedUserIds: [],
  ...overrides,
})

describe('checkConversationAccess', () => {
  it('uses channels.defaults.groupPolicy (else open) when there is no channels.discord block', () => {
    expect(checkConversationAccess(account(undefined), guildRequest()).allowed).toBe(true)
    const closed = resolveDiscordAccount({ channels: { defaults: { groupPolicy: 'disabled' } } }, {})
    expect(checkConversationAccess(closed, guildRequest())).toEqual({ allowed: false, reason: 'channel-not-allowed' })
  })

  it('lets a matching allow:false block even under open', () => {
    const open = account({ groupPolicy: 'open', guilds: { '1': { channels: { general: { allow: false } } } } })
    expect(checkConversationAccess(open, guildRequest())).toEqual({ allowed: false, reason: 'channel-not-allowed' })
    expect(checkConversationAccess(open, guildRequest({ channel: { id: '101', name: 'random', isThread: false } })).allowed).toBe(true)
  })

  it('drops guilds missing from a non-empty guilds map, even under open', () => {
    const open = account({ groupPolicy: 'open', guilds: { '2': {} } })
    expect(checkConversationAccess(open, guildRequest())).toEqual({ allowed: false, reason: 'channel-not-allowed' })
  })

  it('allows the whole guild under allowlist when its entry has no channels', () => {
    expect(checkConversationAccess(account({ guilds: { home: {} } }), guildRequest()).allowed).toBe(true)
  })

  it('matches channels by id, slug or name, and "*" last', () => {
    const byId = account({ guilds: { '*': { channels: { '100': {} } } } })
    expect(checkConversationAccess(byId, guildRequest()).allowed).toBe(true)
    const bySlug = account({ guilds: { '*': { channels: { '#General': {} } } } })
    expect(checkConversationAccess(bySlug, guildRequest()).allowed).toBe(true)
    const wildcard = account({ guilds: { '*': { channels: { other: {}, '*': { allow: true } } } } })
    expect(checkConversationAccess(wildcard, guildRequest()).allowed).toBe(true)
  })

  it('checks threads by their own id, then the parent', () => {
    const config = account({ guilds: { '*': { channels: { general: {}, '555': { allow: false } } } } })
    const thread = { id: '555', name: 'question', parentId: '100', parentName: 'general', isThread: true }
    expect(checkConversationAccess(config, guildRequest({ channel: thread }))).toEqual({ allowed: false, reason: 'channel-not-allowed' })
    expect(checkConversationAccess(config, guildRequest({ channel: { ...thread, id: '556' } })).allowed).toBe(true)
  })

  it('applies the users list (channel overrides guild) with ids, mentions and names', () => {
    const config = account({ guilds: { '*': { users: ['<@10>'], channels: { general: { users: ['user:bob'] }, '*': {} } } } })
    expect(checkConversationAccess(config, guildRequest())).toEqual({ allowed: false, reason: 'user-not-allowed' })
    expect(checkConversationAccess(config, guildRequest({ user: { id: '11', username: 'Bob' } })).allowed).toBe(true)
    expect(checkConversationAccess(config, guildRequest({ channel: { id: '101', name: 'random', isThread: false } })).allowed).toBe(true)
  })

  it('drops other bots unless allowBots', () => {
    const bot = guildRequest({ user: { id: '12', username: 'robot', bot: true } })
    expect(checkConversationAccess(account({ guilds: { '*': {} } }), bot)).toEqual({ allowed: false, reason: 'bot' })
    expect(checkConversationAccess(account({ allowBots: true, guilds: { '*': {} } }), bot).allowed).toBe(true)
  })

  it('ignores group DMs unless dm.groupEnabled, narrowed by groupChannels', () => {
    const request = guildRequest({ kind: 'group-dm', guild: undefined, channel: { id: '300', name: 'friends', isThread: false } })
    expect(checkConversationAccess(account({}), request)).toEqual({ allowed: false, reason: 'group-dm-disabled' })
    expect(checkConversationAccess(account({ dm: { policy: 'pairing', groupEnabled: true, groupChannels: ['friends'] } }), request).allowed).toBe(true)
    expect(checkConversationAccess(account({ dm: { policy: 'pairing', groupEnabled: true, groupChannels: ['301'] } }), request).allowed).toBe(false)
  })

  it('lets paired users into DMs under pairing', () => {
    const dm = guildRequest({ kind: 'dm', guild: undefined })
    expect(checkConversationAccess(account({ dm: { policy: 'pairing' } }), dm)).toEqual({ allowed: false, reason: 'dm-pairing' })
    expect(checkConversationAccess(account({ dm: { policy: 'pairing' } }), { ...dm, pairedUserIds: ['10'] }).allowed).toBe(true)
  })
})

describe('checkCommandAccess', () => {
  it('denies guild commands when neither dm.allowFrom nor users are configured', () => {
    expect(checkCommandAccess(account({ guilds: { '*': {} } }), guildRequest(), true)).toEqual({ allowed: false, reason: 'user-not-allowed' })
  })

  it('allows owners from dm.allowFrom or the pairing store', () => {
    expect(checkCommandAccess(account({ dm: { policy: 'pairing', allowFrom: ['10'] }, guilds: { '*': {} } }), guildRequest(), true).allowed).toBe(true)
    expect(checkCommandAccess(account({ guilds: { '*': {} } }), guildRequest({ pairedUserIds: ['10'] }), true).allowed).toBe(true)
  })

  it('only applies the channel rules when commands.useAccessGroups is false', () => {
    expect(checkCommandAccess(account({ guilds: { '*': {} } }), guildRequest(), false).allowed).toBe(true)
  })
})
