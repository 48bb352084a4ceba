import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { afterEach, describe, expect, it } from 'vitest'
import { anthropicReply, gate } from '../helpers/fake-anthropic-server.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
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

describe('POST /telegram-webhook', () => {
  it('refuses a missing or wrong secret with 401 before reading the body, and calls nothing (scenario 1)', async () => {
    const harness = await setup()
    const before = harness.telegramServer.calls.length
    expect((await harness.post(harness.message({ text: 'hi' }), {})).status).toBe(401)
    const wrong = await harness.post(harness.message({ text: 'hi' }), { 'x-telegram-bot-api-secret-token': `${harness.secret}x` })
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).toBe('unauthorized')
    await harness.settle()
    expect(harness.telegramServer.calls.length).toBe(before)
    expect(harness.anthropic.requests).toHaveLength(0)
  })

  it('answers 200 with the model still thinking, then replies once the model finishes (scenario 1)', async () => {
    const harness = await setup()
    const thinking = gate()
    harness.anthropic.script(anthropicReply([thinking, 'Hello from Claude']))
    const startedAt = performance.now()
    const ack = await harness.post(harness.message({ text: 'hello' }))
    const ackMs = performance.now() - startedAt
    expect(ack.status).toBe(200)
    expect(await ack.json()).toEqual({})
    // The model has not produced a word yet: the ack cannot have waited for it.
    await thinking.reached
    expect(harness.telegramServer.callsTo('sendMessage')).toHaveLength(0)
    expect(harness.telegramServer.callsTo('sendChatAction')[0]?.body).toMatchObject({ chat_id: '42', action: 'typing' })
    thinking.open()
    const sent = await harness.telegramServer.waitFor((call) => call.method === 'sendmessage')
    expect(sent.body).toMatchObject({ chat_id: '42', text: 'Hello from Claude', parse_mode: 'HTML' })
    expect(lastUserText(harness.anthropic.requests[0]?.body)).toContain('hello')
    // Informative only; the ordering above is the assertion that cannot flake.
    expect(ackMs).toBeLessThan(2_000)
  })

  it('runs one turn and sends one reply for an update delivered twice (scenario 2)', async () => {
    const harness = await setup()
    harness.anthropic.script(anthropicReply(['only once']))
    const update = { update_id: 5555, ...harness.message({ text: 'hello' }) }
    const post = () => harness.app.request('/telegram-webhook', { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': harness.secret }, body: JSON.stringify(update) })
    expect((await post()).status).toBe(200)
    expect((await post()).status).toBe(200)
    await harness.settle()
    expect(harness.anthropic.requests).toHaveLength(1)
    expect(harness.sentTexts()).toEqual(['only once'])
  })

  it('remembers taken update ids across a restart (same storage)', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const first = await setup({ storage })
    first.anthropic.script(anthropicReply(['first']))
    const update = JSON.stringify({ update_id: 777, ...first.message({ text: 'hello' }) })
    await first.app.request('/telegram-webhook', { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': first.secret }, body: update })
    await first.settle()
    const restarted = await setup({ storage })
    const again = await restarted.app.request('/telegram-webhook', { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': restarted.secret }, body: update })
    expect(again.status).toBe(200)
    await restarted.settle()
    expect(restarted.anthropic.requests).toHaveLength(0)
  })

  it('acknowledges and drops a body that is not an update, and answers 405 to other methods', async () => {
    const harness = await setup()
    const bad = await harness.app.request('/telegram-webhook', { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': harness.secret }, body: '{not json' })
    expect(bad.status).toBe(200)
    expect((await harness.app.request('/telegram-webhook', { method: 'GET' })).status).toBe(405)
    await harness.settle()
    expect(harness.anthropic.requests).toHaveLength(0)
  })

  it('keeps each conversation in order while the model is slow', async () => {
    const harness = await setup()
    const slow = gate()
    harness.anthropic.script(anthropicReply([slow, 'first answer']), anthropicReply(['second answer']))
    await harness.post(harness.message({ text: 'one' }))
    await harness.post(harness.message({ text: 'two' }))
    await slow.reached
    slow.open()
    await harness.settle()
    expect(harness.sentTexts()).toEqual(['first answer', 'second answer'])
  })
})

describe('Telegram start-up', () => {
  it('calls getMe, setWebhook with the exact upstream body, and setMyCommands only when the set changed (scenario 3)', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const harness = await setup({ storage, config: { channels: { telegram: { webhookSecret: 's3cr3t_-' } } } })
    const methods = harness.telegramServer.calls.map((call) => call.method)
    expect(methods).toEqual(['getme', 'setwebhook', 'setmycommands'])
    expect(harness.telegramServer.callsTo('setWebhook')[0]?.body).toEqual({
      url: 'https://app.fly.dev/telegram-webhook',
      secret_token: 's3cr3t_-',
      allowed_updates: ['message', 'callback_query', 'message_reaction'],
      drop_pending_updates: false,
    })
    expect(harness.telegramServer.callsTo('setMyCommands')[0]?.body.commands).toContainEqual({ command: 'status', description: 'Show current status.' })
    expect(harness.records.some((record) => record.message.includes('[default] starting provider (@clawd_test_bot)'))).toBe(true)
    const second = await setup({ storage, config: { channels: { telegram: { webhookSecret: 's3cr3t_-' } } } })
    expect(second.telegramServer.calls.map((call) => call.method)).toEqual(['getme', 'setwebhook'])
  })

  it('marks an invalid token failed without setWebhook, keeps /health up and answers 404 on the route (scenario 3)', async () => {
    const harness = await setup({ token: '999:WRONG' })
    expect(harness.telegramServer.calls.map((call) => call.method)).toEqual(['getme'])
    const health = await harness.app.request('/health')
    expect(health.status).toBe(200)
    const report = await (await harness.app.request('/api/health', { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).json()
    expect(report.channels.telegram).toMatchObject({ configured: true, running: false, lastError: 'getMe failed: Unauthorized', mode: 'webhook' })
    expect((await harness.post(harness.message({ text: 'hi' }))).status).toBe(404)
  })

  it('does not start without a public URL and says which setting to add', async () => {
    const harness = await setup({ env: { CLAWDBOT_PUBLIC_URL: '' } })
    expect(harness.telegramServer.calls).toHaveLength(0)
    const status = await harness.telegram.status()
    expect(status?.lastError).toBe('telegram: webhook URL unknown; set channels.telegram.webhookUrl or CLAWDBOT_PUBLIC_URL')
  })

  it('warns when an account entry silently overrides a base policy, and when textChunkLimit is over 4096', async () => {
    const harness = await setup({ config: { channels: { telegram: { dmPolicy: 'allowlist', allowFrom: ['42'], textChunkLimit: 9000, accounts: { default: {} } } } } })
    const warnings = harness.records.filter((record) => record.level === 'warn').map((record) => record.message)
    expect(warnings).toContainEqual(expect.stringContaining('channels.telegram.dmPolicy "allowlist" does not apply to this account'))
    expect(warnings).toContainEqual(expect.stringContaining("textChunkLimit 9000 is over Telegram's 4096-character limit"))
  })

  it('takes the webhook back with POST /api/telegram/setup after another deployment registered its URL', async () => {
    const harness = await setup()
    await fetch(`${harness.telegramServer.url}/bot123456:TEST-telegram-token/setWebhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'https://staging.example/hook' }) })
    const before = await harness.telegram.status({ probe: true })
    expect(before?.probe?.webhook).toMatchObject({ url: 'https://staging.example/hook', urlMatches: false })
    expect((await harness.app.request('/api/telegram/setup', { method: 'POST' })).status).toBe(401)
    const response = await harness.app.request('/api/telegram/setup', { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}` } })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ ok: true, telegram: { running: true, probe: { webhook: { url: 'https://app.fly.dev/telegram-webhook', urlMatches: true } } } })
  })

  it('derives the webhook URL from FLY_APP_NAME on Fly', async () => {
    const harness = await setup({ env: { CLAWDBOT_PUBLIC_URL: '', FLY_APP_NAME: 'my-bot' } })
    expect(harness.telegramServer.callsTo('setWebhook')[0]?.body.url).toBe('https://my-bot.fly.dev/telegram-webhook')
  })
})
