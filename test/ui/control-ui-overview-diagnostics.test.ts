import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HAS_CHROMIUM, saveScreenshot } from '../helpers/browser.js'
import { startUiFixture, type UiFixture } from './ui-fixture.js'

// Issue 16, items 3 and 14: the Overview must not say "OK" when no model can answer, and must say "failed".
describe.skipIf(!HAS_CHROMIUM)('Control UI in Chromium: Overview diagnostics (skipped: /usr/bin/chromium is not installed)', { timeout: 30_000 }, () => {
  let ui: UiFixture
  beforeAll(async () => {
    ui = await startUiFixture()
  }, 30_000)
  afterAll(async () => {
    await ui?.close()
  })

  it('marks the model chain as not usable and names the variable to set when no key is present', async () => {
    const saved = ui.gateway.deps.env
    ui.gateway.deps.env = {}
    try {
      const { page, problems } = await ui.signedIn('/overview')
      const health = page.locator('.tile', { hasText: 'Health' })
      await health.getByText('No usable model').waitFor()
      expect(await health.getAttribute('class')).toContain('bad')
      await page.getByText('No model in the chain can be called, so every chat will fail.').waitFor()
      const primary = page.locator('.chain li').first()
      expect(await primary.textContent()).toContain('not usable')
      expect(await primary.locator('.problem').textContent()).toMatch(/^No API key found for provider "anthropic"\. Set ANTHROPIC_API_KEY/)
      await saveScreenshot(page, 'overview-no-key')
      expect(problems).toEqual([])
    } finally {
      ui.gateway.deps.env = saved
    }
  })

  it('says OK and lists the chain plainly when the key is there', async () => {
    const { page } = await ui.signedIn('/overview')
    await page.locator('.tile', { hasText: 'Health' }).getByText('OK', { exact: true }).waitFor()
    expect(await page.locator('.chain li.unusable').count()).toBe(0)
  })

  it('shows a failed reload with the word "failed" and its reason, and subsystems in full', async () => {
    ui.gateway.deps.state.lastReload = { at: Date.now() - 60_000, ok: false, message: 'config reload skipped (invalid config): gateway.bind: Invalid input' }
    ui.gateway.deps.logger.child('gateway').warn('a warning from the gateway subsystem with a long message that needs to wrap across the card instead of squeezing the subsystem name')
    try {
      const { page } = await ui.signedIn('/overview', { width: 390, height: 800 })
      const reload = page.locator('.tile', { hasText: 'Last config reload' })
      await reload.getByText(/^failed /).waitFor()
      expect(await reload.locator('.tile-detail').textContent()).toContain('gateway.bind: Invalid input')
      const subsystem = page.locator('.recent-errors .log-subsystem', { hasText: 'gateway' }).first()
      await subsystem.waitFor()
      const clipped = await subsystem.evaluate((element) => element.scrollWidth > element.clientWidth + 1)
      expect(clipped).toBe(false)
      await saveScreenshot(page, 'overview-reload-failed-phone')
    } finally {
      ui.gateway.deps.state.lastReload = undefined
    }
  })
})
