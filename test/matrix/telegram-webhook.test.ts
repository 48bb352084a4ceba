import { afterAll, expect, it } from 'vitest'
import { anthropicReply, gate, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { startFakeTelegram, type FakeTelegramServer } from '../helpers/fake-telegram-server.js'
import { describeRuntimes } from './runtimes.js'

const TOKEN = '123456:matrix-telegram-token'
const SECRET = 'matrix_secret-1'

describeRuntimes('POST /telegram-webhook', (runtime) => {
  let telegram: FakeTelegramServer
  let anthropic: FakeServer
  const gateway = runtime.start(async () => {
    telegram = await startFakeTelegram({ token: TOKEN })
    anthropic = await startFakeAnthropic()
    return {
      config: JSON.stringify({
        gateway: { mode: 'local' },
        agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } },
        channels: { telegram: { dmPolicy: 'allowlist', allowFrom: ['42'], webhookSecret: SECRET } },
      }),
      env: {
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_BASE: telegram.url,
        CLAWDBOT_PUBLIC_URL: 'https://matrix.example',
        ANTHROPIC_API_KEY: 'sk-ant-matrix',
        ANTHROPIC_BASE_URL: anthropic.url,
      },
    }
  })
  afterAll(() => Promise.all([telegram?.close(), anthropic?.close()]))
  let updateId = runtime.name === 'node' ? 1_000 : 2_000
  const post = (text: string, options: { secret?: string; updateId?: number } = {}) =>
    gateway().fetch('/telegram-webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': options.secret ?? SECRET },
      body: JSON.stringify({
        update_id: options.updateId ?? ++updateId,
        message: { message_id: updateId, date: 0, chat: { id: 42, type: 'private' }, from: { id: 42, is_bot: false, first_name: 'Ann' }, text },
      }),
    })

  it('registers the webhook at start with the secret and the update types', async () => {
    // The Workers object starts on its first request; any request wakes it.
    await gateway().fetch('/api/health', { headers: gateway().auth })
    const call = await telegram.waitFor((recorded) => recorded.method === 'setwebhook')
    expect(call.body).toEqual({
      url: 'https://matrix.example/telegram-webhook',
      secret_token: SECRET,
      allowed_updates: ['message', 'callback_query', 'message_reaction'],
      drop_pending_updates: false,
    })
  })

  it('refuses a wrong secret with 401', async () => {
    expect((await post('hi', { secret: 'wrong' })).status).toBe(401)
  })

  it('answers 200 while the model is still thinking, then sends the reply', async () => {
    const thinking = gate()
    anthropic.script(anthropicReply([thinking, `Hello from ${runtime.name}`]))
    const ack = await post('hello')
    expect(ack.status).toBe(200)
    await thinking.reached
    expect(telegram.callsTo('sendMessage').filter((call) => call.body.text === `Hello from ${runtime.name}`)).toHaveLength(0)
    thinking.open()
    const sent = await telegram.waitFor((call) => call.method === 'sendmessage' && call.body.text === `Hello from ${runtime.name}`)
    expect(sent.body).toMatchObject({ chat_id: '42', parse_mode: 'HTML' })
  })

  it('runs one turn for an update delivered twice', async () => {
    anthropic.script(anthropicReply([`once on ${runtime.name}`]))
    const id = ++updateId
    expect((await post('again', { updateId: id })).status).toBe(200)
    expect((await post('again', { updateId: id })).status).toBe(200)
    await telegram.waitFor((call) => call.method === 'sendmessage' && call.body.text === `once on ${runtime.name}`)
    const status = await (await gateway().fetch('/api/health', { headers: gateway().auth })).json()
    expect(status.channels.telegram).toMatchObject({ running: true, mode: 'webhook', webhookUrl: 'https://matrix.example/telegram-webhook' })
    expect(telegram.callsTo('sendMessage').filter((call) => call.body.text === `once on ${runtime.name}`)).toHaveLength(1)
  })
})
