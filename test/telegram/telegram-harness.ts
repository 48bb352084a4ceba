import { createAgentRuntime } from '../../src/agent/agent-runtime.js'
import { createApp } from '../../src/app.js'
import { createTelegramChannel, type TelegramChannelOptions } from '../../src/telegram/telegram-channel.js'
import { deriveWebhookSecret } from '../../src/telegram/webhook-settings.js'
import { startFakeAnthropic } from '../helpers/fake-anthropic-server.js'
import { startFakeTelegram } from '../helpers/fake-telegram-server.js'
import { makeTestDeps, TEST_TOKEN } from '../helpers/make-test-deps.js'

export const BOT_TOKEN = '123456:TEST-telegram-token'
export const ANN = { id: 42, is_bot: false, first_name: 'Ann', username: 'ann' }
export const BOB = { id: 77, is_bot: false, first_name: 'Bob', username: 'bob' }
export const BOT_USER = { id: 7000, is_bot: true, first_name: 'Clawd', username: 'clawd_test_bot' }
export const FORUM = { id: -1001, type: 'supergroup', title: 'Team', is_forum: true }
export const MODEL_CONFIG = { agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } } }

export interface HarnessOptions {
  config?: Record<string, unknown>
  env?: Record<string, string>
  channel?: TelegramChannelOptions
  token?: string
  /** Reuse storage from an earlier harness (a restart). */
  storage?: import('unstorage').Storage
  start?: boolean
}

/**
 * The real gateway app (createApp with the real agent runtime) in front of a fake Bot API server and a fake Anthropic
 * server; the Bot API client's retry waits are recorded instead of slept.
 */
export async function createTelegramHarness(options: HarnessOptions = {}) {
  const telegramServer = await startFakeTelegram({ token: BOT_TOKEN })
  const anthropic = await startFakeAnthropic()
  const test = await makeTestDeps({
    configText: JSON.stringify({ ...MODEL_CONFIG, ...options.config }),
    env: {
      TELEGRAM_BOT_TOKEN: options.token ?? BOT_TOKEN,
      TELEGRAM_API_BASE: telegramServer.url,
      CLAWDBOT_PUBLIC_URL: 'https://app.fly.dev',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: anthropic.url,
      ...options.env,
    },
  })
  const { deps } = test
  if (options.storage !== undefined) deps.storage = options.storage
  // Only the two local fakes are reachable. Each Bot API call is logged with the time the gateway made it, which
  // (unlike arrival times at the fake) carries no transport jitter.
  const botCalls: Array<{ method: string; at: number }> = []
  deps.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input)
    if (!url.startsWith(telegramServer.url) && !url.startsWith(anthropic.url)) return Promise.reject(new Error(`tests must not reach ${url}`))
    if (url.startsWith(telegramServer.url)) botCalls.push({ method: url.split('/').pop() ?? '', at: Date.now() })
    return fetch(input, init)
  }
  deps.now = Date.now
  const sleeps: number[] = []
  const telegram = createTelegramChannel(deps, { sleep: async (milliseconds) => void sleeps.push(milliseconds), fragmentWindowMs: 300, ...options.channel })
  if (options.start !== false) await telegram.start()
  const agents = createAgentRuntime(deps)
  const app = createApp(deps, { telegram, agents })
  const secret = await deriveWebhookSecret(BOT_TOKEN, 'default')
  let updateId = 1000
  let messageId = 10
  return {
    ...test,
    deps,
    telegram,
    telegramServer,
    anthropic,
    agents,
    app,
    secret,
    sleeps,
    botCalls,
    /** POSTs an update to the webhook with the right secret (or `secret`). */
    post(update: Record<string, unknown>, headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': secret }, path = '/telegram-webhook') {
      return app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ update_id: ++updateId, ...update }) })
    },
    /** A message update; `message` fields override the DM defaults from Ann. */
    message(fields: Record<string, unknown>): Record<string, unknown> {
      return { message: { message_id: ++messageId, date: 1767225600, chat: { id: 42, type: 'private', first_name: 'Ann' }, from: ANN, ...fields } }
    },
    approve(code: string) {
      return app.request('/api/pairing/telegram/approve', {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      })
    },
    /** Waits for every piece of background work started so far (and any it started). */
    async settle(): Promise<void> {
      for (let seen = -1; seen < test.background.length; ) {
        seen = test.background.length
        await Promise.allSettled(test.background)
      }
    },
    sentTexts: () => telegramServer.callsTo('sendMessage').map((call) => String(call.body.text)),
    async close() {
      await Promise.allSettled(test.background)
      telegram.stop()
      await Promise.all([telegramServer.close(), anthropic.close()])
    },
  }
}

export type TelegramHarness = Awaited<ReturnType<typeof createTelegramHarness>>
