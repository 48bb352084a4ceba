import { afterEach, describe, expect, it } from 'vitest'
import { anthropicReply } from '../helpers/fake-anthropic-server.js'
import { lastUserText } from '../helpers/runtime-fixture.js'
import { BOB, BOT_USER, createTelegramHarness, FORUM, type TelegramHarness } from './telegram-harness.js'

const harnesses: TelegramHarness[] = []
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close()
})
async function setup(options: Parameters<typeof createTelegramHarness>[0] = {}) {
  const harness = await createTelegramHarness(options)
  harnesses.push(harness)
  return harness
}

const PAIRING_TEXT = /^Moltbot: access not configured\.\n\nYour Telegram user id: 42\n\nPairing code: ([A-Z2-9]{8})\n\nAsk the bot owner to approve with:\nnode dist\/index\.js pairing approve telegram <code>$/

describe('Telegram DMs and pairing', () => {
  it('pairs a stranger: code once, silence, approval text, then replies (scenario 4)', async () => {
    const harness = await setup()
    harness.anthropic.script(anthropicReply(['Welcome aboard']))
    await harness.post(harness.message({ text: 'hello' }))
    await harness.settle()
    const [pairing] = harness.sentTexts()
    const code = PAIRING_TEXT.exec(pairing ?? '')?.[1]
    expect(code).toBeDefined()
    await harness.post(harness.message({ text: 'hello?' }))
    await harness.settle()
    expect(harness.sentTexts()).toHaveLength(1)
    const approved = await harness.approve(code!.toLowerCase())
    expect(await approved.json()).toEqual({ ok: true, channel: 'telegram', userId: '42', notified: true })
    expect(harness.sentTexts()[1]).toBe('✅ Moltbot access approved. Send a message to start chatting.')
    await harness.post(harness.message({ text: 'now?' }))
    await harness.settle()
    expect(harness.sentTexts()[2]).toBe('Welcome aboard')
    expect(harness.anthropic.requests).toHaveLength(1)
  })

  it('answers a stranger\'s /status with upstream\'s refusal, not a pairing code (scenario 4)', async () => {
    const harness = await setup()
    await harness.post(harness.message({ text: '/status' }))
    await harness.settle()
    expect(harness.sentTexts()).toEqual(['You are not authorized to use this command.'])
  })

  it('drops a stranger silently under dmPolicy allowlist and answers /status for an owner', async () => {
    const harness = await setup({ config: { channels: { telegram: { dmPolicy: 'allowlist', allowFrom: ['tg:@Ann'] } } } })
    await harness.post(harness.message({ text: 'hi', from: BOB, chat: { id: 77, type: 'private' } }))
    await harness.post(harness.message({ text: '/status@clawd_test_bot' }))
    await harness.settle()
    expect(harness.sentTexts()).toHaveLength(1)
    expect(harness.sentTexts()[0]).toContain('Agent: <code>main</code>')
    expect(harness.telegramServer.callsTo('sendMessage')[0]?.body.chat_id).toBe('42')
  })
})

describe('Telegram groups', () => {
  const group = (fields: Record<string, unknown>) => ({ chat: { id: -2002, type: 'supergroup', title: 'Team' }, ...fields })

  it('drops group messages under the default config (scenario 6)', async () => {
    const harness = await setup({ config: { channels: { telegram: {} } } })
    await harness.post(harness.message(group({ text: '@clawd_test_bot hi' })))
    await harness.settle()
    expect(harness.anthropic.requests).toHaveLength(0)
    expect(harness.sentTexts()).toEqual([])
  })

  it('answers mentions and replies to the bot, keeps unmentioned lines as context, ignores other mentions (scenario 6)', async () => {
    const harness = await setup({
      config: {
        channels: { telegram: { groupAllowFrom: ['42'], groups: { '*': {} } } },
        messages: { groupChat: { mentionPatterns: ['\\bclawd\\b'] } },
      },
    })
    harness.anthropic.script(anthropicReply(['hi team']), anthropicReply(['replying']))
    await harness.post(harness.message(group({ text: 'lunch at noon?' })))
    await harness.post(harness.message(group({ text: '@clawd_test_bot hi', entities: [{ type: 'mention', offset: 0, length: 15 }] })))
    await harness.settle()
    expect(harness.anthropic.requests).toHaveLength(1)
    const prompt = lastUserText(harness.anthropic.requests[0]?.body)
    expect(prompt).toContain('lunch at noon?')
    expect(prompt).toContain('@clawd_test_bot hi')
    await harness.post(harness.message(group({ text: 'thanks', reply_to_message: { message_id: 3, chat: { id: -2002, type: 'supergroup' }, from: BOT_USER, text: 'hi team' } })))
    await harness.settle()
    expect(harness.anthropic.requests).toHaveLength(2)
    await harness.post(harness.message(group({ text: '@someone ask clawd', entities: [{ type: 'mention', offset: 0, length: 8 }] })))
    await harness.settle()
    expect(harness.anthropic.requests).toHaveLength(2)
    expect(harness.sentTexts()).toEqual(['hi team', 'replying'])
  })

  it('answers a mention in a forum topic inside that topic with its own session (scenario 7)', async () => {
    const harness = await setup({ config: { channels: { telegram: { groupAllowFrom: ['42'], groups: { '*': {} } } } } })
    harness.anthropic.script(anthropicReply(['in the topic']), anthropicReply(['in general']))
    await harness.post(harness.message({ chat: FORUM, message_thread_id: 9, text: '@clawd_test_bot hi', entities: [{ type: 'mention', offset: 0, length: 15 }] }))
    await harness.settle()
    const [sent] = harness.telegramServer.callsTo('sendMessage')
    expect(sent?.body).toMatchObject({ chat_id: '-1001', message_thread_id: 9, text: 'in the topic' })
    expect(harness.telegramServer.callsTo('sendChatAction')[0]?.body).toMatchObject({ chat_id: '-1001', message_thread_id: 9 })
    const sessions = await harness.agents.sessions.store('main').list()
    expect(sessions.map((session) => session.key)).toContain('agent:main:telegram:group:-1001:topic:9')
    await harness.post(harness.message({ chat: FORUM, text: '@clawd_test_bot general?' }))
    await harness.settle()
    const general = harness.telegramServer.callsTo('sendMessage')[1]
    expect(general?.body.text).toBe('in general')
    expect(general?.body).not.toHaveProperty('message_thread_id')
    expect(harness.telegramServer.callsTo('sendChatAction')[1]?.body).toMatchObject({ chat_id: '-1001', message_thread_id: 1 })
    expect((await harness.agents.sessions.store('main').list()).map((session) => session.key)).toContain('agent:main:telegram:group:-1001:topic:1')
  })

  it('/activation always makes the group answer unmentioned messages, kept on the session', async () => {
    const harness = await setup({ config: { channels: { telegram: { groupAllowFrom: ['42'], groups: { '*': {} } } } } })
    harness.anthropic.script(anthropicReply(['answering everything']))
    await harness.post(harness.message(group({ text: 'no mention yet' })))
    await harness.post(harness.message(group({ text: '/activation always' })))
    await harness.post(harness.message(group({ text: 'now without a mention' })))
    await harness.settle()
    expect(harness.sentTexts()).toEqual(['Group activation: always (I answer every message here).', 'answering everything'])
    expect((await harness.agents.sessions.store('main').get('agent:main:telegram:group:-2002'))?.groupActivation).toBe('always')
  })

  it('reacts with messages.ackReaction to a mention and clears it after the reply', async () => {
    const harness = await setup({
      config: { channels: { telegram: { groupAllowFrom: ['42'], groups: { '*': {} } } }, messages: { ackReaction: '👀', removeAckAfterReply: true } },
    })
    harness.anthropic.script(anthropicReply(['on it']))
    await harness.post(harness.message(group({ message_id: 321, text: '@clawd_test_bot look' })))
    await harness.settle()
    expect(harness.telegramServer.callsTo('setMessageReaction').map((call) => call.body)).toEqual([
      { chat_id: '-2002', message_id: 321, reaction: [{ type: 'emoji', emoji: '👀' }] },
      { chat_id: '-2002', message_id: 321, reaction: [] },
    ])
  })

  it('replies to a native command in a disabled group with upstream\'s text', async () => {
    const harness = await setup({ config: { channels: { telegram: { groupAllowFrom: ['42'], groups: { '-2002': { enabled: false } } } } } })
    await harness.post(harness.message(group({ text: '/status' })))
    await harness.post(harness.message(group({ text: '@clawd_test_bot hi' })))
    await harness.settle()
    expect(harness.sentTexts()).toEqual(['This group is disabled.'])
  })
})

describe('Telegram group migration', () => {
  it('moves the group\'s config entry to the new supergroup id and applies it', async () => {
    const config = { channels: { telegram: { groupAllowFrom: ['42'], groups: { '-3003': { requireMention: false } } } } }
    const harness = await setup({ config })
    harness.files['/state/clawdbot.json'] = JSON.stringify({ gateway: { mode: 'local' }, ...config })
    await harness.post(harness.message({ chat: { id: -3003, type: 'group', title: 'Old' }, migrate_to_chat_id: -1009 }))
    await harness.settle()
    expect(JSON.parse(harness.files['/state/clawdbot.json'] as string).channels.telegram.groups).toEqual({ '-1009': { requireMention: false } })
    expect(harness.deps.state.config.channels?.telegram?.groups).toEqual({ '-1009': { requireMention: false } })
    expect(harness.records.some((record) => record.message.includes('Group migrated: "Old" -3003 → -1009'))).toBe(true)
  })
})

describe('Telegram callback buttons', () => {
  it('answers the click first, then runs a turn with the button data (scenario 10)', async () => {
    const harness = await setup({ config: { channels: { telegram: { dmPolicy: 'allowlist', allowFrom: ['42'] } } } })
    harness.anthropic.script(anthropicReply(['usage: lots']))
    await harness.post({
      callback_query: { id: 'cb1', from: { id: 42, is_bot: false, first_name: 'Ann' }, data: '/usage tokens', message: { message_id: 5, chat: { id: 42, type: 'private' }, from: BOT_USER, text: 'Choose' } },
    })
    await harness.settle()
    const methods = harness.telegramServer.calls.map((call) => call.method).filter((method) => !['getme', 'setwebhook', 'setmycommands'].includes(method))
    expect(methods[0]).toBe('answercallbackquery')
    expect(harness.telegramServer.callsTo('answerCallbackQuery')[0]?.body).toEqual({ callback_query_id: 'cb1' })
    expect(lastUserText(harness.anthropic.requests[0]?.body)).toContain('/usage tokens')
    expect(harness.sentTexts()).toEqual(['usage: lots'])
  })
})
