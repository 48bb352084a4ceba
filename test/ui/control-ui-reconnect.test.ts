import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HAS_CHROMIUM, saveScreenshot } from '../helpers/browser.js'
import { anthropicReply } from '../helpers/fake-anthropic-server.js'
import { startUiFixture, type UiFixture } from './ui-fixture.js'

// Its own gateway: restarting the listener would disturb the other browser suites.
describe.skipIf(!HAS_CHROMIUM)('Control UI in Chromium: reconnecting (skipped: /usr/bin/chromium is not installed)', { timeout: 30_000 }, () => {
  let ui: UiFixture
  beforeAll(async () => {
    ui = await startUiFixture()
  }, 30_000)
  afterAll(async () => {
    await ui?.close()
  })

  it('shows the connection state through a gateway restart (1012), reconnects by itself and keeps working', async () => {
    const { page } = await ui.signedIn()
    // Record every label the connection pill shows, so a fast reconnect cannot slip past the assertion.
    await page.evaluate(() => {
      const pill = document.querySelector('.connection')!
      const seen: string[] = [pill.textContent ?? '']
      ;(window as unknown as { __connectionLabels: string[] }).__connectionLabels = seen
      new MutationObserver(() => seen.push(pill.textContent ?? '')).observe(pill, { childList: true, subtree: true, characterData: true })
    })
    await ui.gateway.restart()
    await page.waitForFunction(() => {
      const seen = (window as unknown as { __connectionLabels: string[] }).__connectionLabels
      const left = seen.findIndex((label) => !label.includes('Connected'))
      return left >= 0 && seen.slice(left).some((label) => label.includes('Connected'))
    })
    const labels = await page.evaluate(() => (window as unknown as { __connectionLabels: string[] }).__connectionLabels)
    expect(labels.some((label) => /Connecting|Reconnecting|Offline/.test(label))).toBe(true)
    await page.locator('.connection.connected').waitFor()
    await expect.poll(() => page.locator('.login').isVisible().catch(() => false)).toBe(false)

    ui.anthropic.script(anthropicReply(['still here']))
    const input = page.locator('#chat-input:enabled')
    await input.fill('after the restart')
    await input.press('Enter')
    await page.locator('.thread-list .message.assistant').last().getByText('still here').waitFor()
    await saveScreenshot(page, 'chat-after-reconnect')
  })
})
