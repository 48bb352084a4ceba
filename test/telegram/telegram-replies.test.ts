import { afterEach, describe, expect, it } from 'vitest'
import { createDeliveryRegistry } from '../../src/channels/delivery-registry.js'
import { createTelegramDelivery } from '../../src/telegram/telegram-delivery.js'
import { anthropicReply, gate } from '../helpers/fake-anthropic-server.js'
import { visibleText } from '../helpers/fake-telegram-server.js'
import { lastUserText } from '../helpers/runtime-fixture.js'
import { createTelegramHarness, type TelegramHarness } from './telegram-harness.js'

const harnesses: TelegramHarness[] = []
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close()
})
async function setup(options: Parameters<typeof createTelegramHarness>[0] = {}) {
  const harness = await createTelegramHarness({ config: { channels: { telegram: { dmPolicy: 'allowlist', allowFrom: ['42'] } } }, ...options })
  harnesses.push(harness)
  return harness
}

describe('Telegram replies', () => {
  it('delivers a 9,000-character reply with code as valid HTML chunks of at most 4096 visible characters (scenario 8)', async () => {
    const harness = await setup()
    const code = Array.from({ length: 60 }, (_, line) => `  const value${line} = compute(${line}) && other < 3 // ${'x'.repeat(40)}`).join('\n')
    const prose = 'Lorem **ipsum** dolor sit amet, consectetur adipiscing elit. '.repeat(40)
    const reply = `${prose}\n\n\`\`\`ts\n${code}\n\`\`\`\n\n${prose}\n\n\`\`\`ts\n${code}\n\`\`\`\n\nDone.`
    expect(reply.length).toBeGreaterThan(9_000)
    harness.anthropic.script(anthropicReply([reply.slice(0, 4_000), reply.slice(4_000)]))
    await harness.post(harness.message({ text: 'long please' }))
    await harness.settle()
    const sends = harness.telegramServer.callsTo('sendMessage')
    expect(sends.length).toBeGreaterThanOrEqual(3)
    for (const send of sends) {
      // The fake answers 400 for unbalanced or over-long HTML, so a successful send is already a valid chunk.
      expect(send.body.parse_mode).toBe('HTML')
      expect(visibleText(send.body).length).toBeLessThanOrEqual(4096)
      expect((send.body.text.match(/<pre>/g) ?? []).length).toBe((send.body.text.match(/<\/pre>/g) ?? []).length)
    }
    const shown = sends.map((send) => visibleText(send.body)).join('\n')
    expect(shown).toContain('const value59 = compute(59) && other < 3')
    expect(shown).toContain('Done.')
    expect(shown).not.toContain('```')
  })

  it('resends a chunk without parse_mode when Telegram cannot parse its entities (scenario 8)', async () => {
    const harness = await setup()
    harness.telegramServer.fail((call) => call.method === 'sendmessage', 400, 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0')
    harness.anthropic.script(anthropicReply(['**bold** answer']))
    await harness.post(harness.message({ text: 'hi' }))
    await harness.settle()
    const sends = harness.telegramServer.callsTo('sendMessage')
    expect(sends.map((send) => send.body)).toEqual([
      { chat_id: '42', text: '<b>bold</b> answer', parse_mode: 'HTML' },
      { chat_id: '42', text: 'bold answer' },
    ])
    expect(harness.records.some((record) => record.message.includes('telegram HTML parse failed; retrying without formatting'))).toBe(true)
  })

  it('retries a 429 once after retry_after (scenario 8)', async () => {
    const harness = await setup()
    harness.telegramServer.fail((call) => call.method === 'sendmessage', 429, 'Too Many Requests: retry after 2', { retry_after: 2 })
    harness.anthropic.script(anthropicReply(['after the wait']))
    await harness.post(harness.message({ text: 'hi' }))
    await harness.settle()
    expect(harness.sleeps).toEqual([2000])
    expect(harness.sentTexts()).toEqual(['after the wait', 'after the wait'])
    expect(harness.telegramServer.callsTo('sendMessage')).toHaveLength(2)
  })

  it('applies replyToMode to [[reply_to_current]] and strips the tag', async () => {
    const harness = await setup()
    harness.anthropic.script(anthropicReply(['[[reply_to_current]] sure']))
    await harness.post(harness.message({ message_id: 500, text: 'hi' }))
    await harness.settle()
    expect(harness.telegramServer.callsTo('sendMessage')[0]?.body).toMatchObject({ text: 'sure', reply_parameters: { message_id: 500, allow_sending_without_reply: true } })
  })

  it('streams drafts in a private topic, at least 300 ms apart, then sends one message (scenario 9)', async () => {
    const streaming = await setup({ start: false })
    streaming.telegramServer.me.has_topics_enabled = true
    await streaming.telegram.start()
    const second = gate()
    const third = gate()
    streaming.anthropic.script(anthropicReply(['One', second, ' two', third, ' three']))
    await streaming.post(streaming.message({ message_id: 60, message_thread_id: 5, text: 'stream please' }))
    await streaming.telegramServer.waitFor((call) => call.method === 'sendmessagedraft')
    second.open()
    await streaming.telegramServer.waitFor((call) => call.method === 'sendmessagedraft' && call.body.text === 'One two')
    third.open()
    await streaming.settle()
    const drafts = streaming.telegramServer.callsTo('sendMessageDraft')
    expect(drafts[0]?.body).toEqual({ chat_id: '42', draft_id: 60, message_thread_id: 5, text: 'One' })
    const draftTimes = streaming.botCalls.filter((call) => call.method === 'sendMessageDraft').map((call) => call.at)
    expect(draftTimes).toHaveLength(drafts.length)
    for (let index = 1; index < draftTimes.length; index += 1) {
      expect((draftTimes[index] as number) - (draftTimes[index - 1] as number)).toBeGreaterThanOrEqual(300)
    }
    expect(streaming.telegramServer.callsTo('sendMessage').map((call) => call.body)).toEqual([
      { chat_id: '42', message_thread_id: 5, text: 'One two three', parse_mode: 'HTML' },
    ])
  })

  it('joins two fragments of a long paste into one turn (scenario 11)', async () => {
    const harness = await setup()
    harness.anthropic.script(anthropicReply(['got it all']))
    const first = 'a'.repeat(4096)
    const second = 'b'.repeat(300)
    await harness.post(harness.message({ message_id: 200, text: first }))
    await harness.post(harness.message({ message_id: 201, text: second }))
    await harness.telegramServer.waitFor((call) => call.method === 'sendmessage')
    await harness.settle()
    expect(harness.anthropic.requests).toHaveLength(1)
    expect(lastUserText(harness.anthropic.requests[0]?.body)).toContain(`${first}${second}`)
    expect(harness.sentTexts()).toEqual(['got it all'])
  })
})

describe('Telegram inbound media and commands', () => {
  it('sends the largest photo to a vision model with its caption', async () => {
    const harness = await setup()
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4])
    harness.telegramServer.files.set('photos/big.jpg', png)
    harness.anthropic.script(anthropicReply(['a cat']))
    await harness.post(harness.message({ caption: 'what is this?', photo: [{ file_id: 'photos/small.jpg', file_size: 10 }, { file_id: 'photos/big.jpg', file_size: png.byteLength }] }))
    await harness.settle()
    expect(harness.telegramServer.callsTo('getFile').map((call) => call.body)).toEqual([{ file_id: 'photos/big.jpg' }])
    const content = harness.anthropic.requests[0]?.body.messages.at(-1).content as Array<{ type: string; source?: { data: string } }>
    expect(content.find((part) => part.type === 'image')?.source?.data).toBe(Buffer.from(png).toString('base64'))
    expect(lastUserText(harness.anthropic.requests[0]?.body)).toContain('what is this?')
    expect(harness.sentTexts()).toEqual(['a cat'])
  })

  it('collects an album into one turn with every photo and the caption', async () => {
    const harness = await setup({ channel: { albumQuietMs: 100 } })
    harness.telegramServer.files.set('photos/a.jpg', new Uint8Array([1, 1]))
    harness.telegramServer.files.set('photos/b.jpg', new Uint8Array([2, 2]))
    harness.anthropic.script(anthropicReply(['two photos']))
    await harness.post(harness.message({ media_group_id: 'album1', photo: [{ file_id: 'photos/a.jpg' }] }))
    await harness.post(harness.message({ media_group_id: 'album1', caption: 'compare these', photo: [{ file_id: 'photos/b.jpg' }] }))
    await harness.telegramServer.waitFor((call) => call.method === 'sendmessage')
    await harness.settle()
    expect(harness.anthropic.requests).toHaveLength(1)
    const content = harness.anthropic.requests[0]?.body.messages.at(-1).content as Array<{ type: string }>
    expect(content.filter((part) => part.type === 'image')).toHaveLength(2)
    expect(lastUserText(harness.anthropic.requests[0]?.body)).toContain('compare these')
  })

  it('refuses a photo over mediaMaxMb with upstream\'s text, as a reply, without calling the model', async () => {
    const harness = await setup({ config: { channels: { telegram: { dmPolicy: 'allowlist', allowFrom: ['42'], mediaMaxMb: 0.000001 } } } })
    harness.telegramServer.files.set('photos/huge.jpg', new Uint8Array(64))
    await harness.post(harness.message({ message_id: 900, photo: [{ file_id: 'photos/huge.jpg', file_size: 64 }] }))
    await harness.settle()
    expect(harness.anthropic.requests).toHaveLength(0)
    expect(harness.telegramServer.callsTo('sendMessage')[0]?.body).toMatchObject({ text: '⚠️ File too large. Maximum size is 0.000001MB.', reply_parameters: { message_id: 900 } })
  })

  it('includes a small text document and the replied-to message as context', async () => {
    const harness = await setup()
    harness.telegramServer.files.set('docs/notes.txt', new TextEncoder().encode('line one\nline two'))
    harness.anthropic.script(anthropicReply(['summarised']))
    await harness.post(
      harness.message({
        caption: 'summarise',
        document: { file_id: 'docs/notes.txt', file_name: 'notes.txt', mime_type: 'text/plain', file_size: 17 },
        reply_to_message: { message_id: 3, chat: { id: 42, type: 'private' }, from: { id: 42, is_bot: false, first_name: 'Ann' }, text: 'earlier words' },
      }),
    )
    await harness.settle()
    const prompt = lastUserText(harness.anthropic.requests[0]?.body)
    expect(prompt).toContain('[File: notes.txt]\nline one\nline two')
    expect(prompt).toContain('[Replying to Ann id:3]\nearlier words\n[/Replying]')
  })

  it('answers /model with the allowed models and /help with what the bot does', async () => {
    const harness = await setup()
    await harness.post(harness.message({ text: '/model' }))
    await harness.post(harness.message({ text: '/help' }))
    await harness.settle()
    const [model, help] = harness.sentTexts()
    expect(model).toContain('Current model: <code>anthropic/claude-opus-4-5</code>')
    expect(help).toContain('/new or /reset')
    expect(harness.anthropic.requests).toHaveLength(0)
  })
})

describe('Telegram delivery for cron, send, hooks and heartbeat', () => {
  it('delivers through the registry to a chat and a forum topic, and explains chat not found', async () => {
    const harness = await setup()
    const registry = createDeliveryRegistry()
    registry.register(createTelegramDelivery(harness.telegram, harness.deps.logger))
    const receipt = await registry.deliver({ channel: 'telegram', to: 'telegram:-1001:topic:9' }, { text: 'Nightly **report**' })
    expect(receipt).toMatchObject({ channel: 'telegram', conversationId: '-1001', messageIds: [receipt.messageId] })
    expect(harness.telegramServer.callsTo('sendMessage')[0]?.body).toEqual({ chat_id: '-1001', message_thread_id: 9, text: 'Nightly <b>report</b>', parse_mode: 'HTML' })
    expect(() => registry.get('telegram')?.checkTarget({ channel: 'telegram', to: 'not a chat' })).toThrow('unknown target "not a chat"')
    harness.telegramServer.fail((call) => call.method === 'sendmessage', 400, 'Bad Request: chat not found')
    await expect(registry.deliver({ channel: 'telegram', to: '123' }, { text: 'hi' })).rejects.toThrow(
      'Telegram send failed: chat not found (chat_id=123). Likely: bot not started in DM',
    )
  })
})
