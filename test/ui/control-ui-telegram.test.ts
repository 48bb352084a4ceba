import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HAS_CHROMIUM, saveScreenshot } from '../helpers/browser.js'
import { startFakeTelegram, type FakeTelegramServer } from '../helpers/fake-telegram-server.js'
import { startUiFixture, type UiFixture } from './ui-fixture.js'

const TOKEN = '123456:UI-telegram-token'

describe.skipIf(!HAS_CHROMIUM)('Control UI in Chromium: Telegram on the overview (skipped: /usr/bin/chromium is not installed)', { timeout: 30_000 }, () => {
  let ui: UiFixture
  let telegram: FakeTelegramServer
  beforeAll(async () => {
    telegram = await startFakeTelegram({ token: TOKEN })
    ui = await startUiFixture()
    ui.gateway.deps.env = { ...ui.gateway.deps.env, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_BASE: telegram.url, CLAWDBOT_PUBLIC_URL: 'https://app.fly.dev' }
    // Another deployment registered its own URL with this token, and Telegram has updates it could not deliver.
    await fetch(`${telegram.url}/bot${TOKEN}/setWebhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'https://staging.example/telegram-webhook' }) })
    Object.assign(telegram.webhookInfo, { pending_update_count: 3, last_error_date: Math.floor(Date.now() / 1000) - 60, last_error_message: 'Read timeout expired' })
  })
  afterAll(async () => {
    await ui?.close()
    await telegram?.close()
  })

  it('shows the webhook URL, that Telegram calls another URL, pending updates and the last delivery error', async () => {
    const { page, problems } = await ui.signedIn('/overview')
    await page.getByRole('heading', { name: 'Telegram' }).waitFor()
    const card = page.locator('.card', { has: page.getByRole('heading', { name: 'Telegram' }) })
    await card.getByText('another URL: https://staging.example/telegram-webhook').waitFor()
    expect(await page.locator('#telegram-webhook-url').textContent()).toBe('https://app.fly.dev/telegram-webhook')
    const facts = await card.locator('dl').textContent()
    expect(facts).toContain('Pending updates3')
    expect(facts).toContain('Read timeout expired')
    expect(facts).toContain('@clawd_test_bot')
    await saveScreenshot(page, 'overview-telegram', { fullPage: true })
    expect(problems).toEqual([])
  })
})
