import { afterEach, describe, expect, it } from 'vitest'
import { DeliveryTargetError } from '../../src/channels/channel-delivery.js'
import { createDeliveryRegistry } from '../../src/channels/delivery-registry.js'
import { createDiscordDelivery } from '../../src/discord/discord-delivery.js'
import { parseDiscordTarget } from '../../src/discord/parse-discord-target.js'
import { AppError } from '../../src/errors.js'
import { createHarness } from './discord-harness.js'

type Harness = Awaited<ReturnType<typeof createHarness>>
let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

describe('parseDiscordTarget', () => {
  it('reads upstream target strings', () => {
    expect(parseDiscordTarget('channel:123')).toEqual({ kind: 'channel', id: '123' })
    expect(parseDiscordTarget('user:456')).toEqual({ kind: 'user', id: '456' })
    expect(parseDiscordTarget('<@!789>')).toEqual({ kind: 'user', id: '789' })
    expect(parseDiscordTarget('discord:42')).toEqual({ kind: 'user', id: '42' })
    expect(parseDiscordTarget('@42')).toEqual({ kind: 'user', id: '42' })
    expect(parseDiscordTarget('general')).toEqual({ kind: 'channel', id: 'general' })
    expect(parseDiscordTarget('123', { bareDigits: 'channel' })).toEqual({ kind: 'channel', id: '123' })
  })

  it('rejects bare digits and a missing target with upstream texts', () => {
    expect(() => parseDiscordTarget('123')).toThrow('Ambiguous Discord recipient "123". Use "user:123" for DMs or "channel:123" for channel messages.')
    expect(() => parseDiscordTarget('  ')).toThrow('Delivering to Discord requires target <channelId|user:ID|channel:ID>')
    expect(() => parseDiscordTarget('user:bob')).toThrow(DeliveryTargetError)
  })
})

describe('Discord delivery', () => {
  it('posts chunked, mention-free messages to a channel with the bot token', async () => {
    harness = await createHarness()
    const registry = createDeliveryRegistry()
    registry.register(createDiscordDelivery(harness.channel))
    const text = Array.from({ length: 40 }, (_, index) => `line ${index}`).join('\n')
    const receipt = await registry.deliver({ channel: 'discord', to: 'channel:555' }, { text })
    const posts = harness.server.writes().filter((call) => call.path === '/channels/555/messages')
    expect(posts.length).toBeGreaterThan(1)
    expect(posts.map((call) => call.body.content).join('\n')).toBe(text)
    expect(posts.every((call) => call.authorization?.startsWith('Bot ') && call.body.allowed_mentions.parse.length === 0)).toBe(true)
    expect(receipt).toMatchObject({ channel: 'discord', conversationId: '555', messageIds: expect.any(Array) })
    expect(receipt.messageId).toBe(receipt.messageIds.at(-1))
  })

  it('opens a DM for user targets', async () => {
    harness = await createHarness()
    const receipt = await createDiscordDelivery(harness.channel).deliver({ channel: 'discord', to: 'user:42' }, { text: 'hi' })
    expect(receipt.conversationId).toBe('dm-42')
    expect(harness.server.writes().map((call) => `${call.method} ${call.path}`)).toContain('POST /channels/dm-42/messages')
  })

  it('refuses an unknown channel, naming the known ones', async () => {
    const registry = createDeliveryRegistry()
    const error = await registry.deliver({ channel: 'telegram', to: '1' }, { text: 'x' }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).message).toBe('[delivery] Unknown channel: telegram (channels here: none)')
  })
})
