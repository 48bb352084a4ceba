import { readFileSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { HAS_CHROMIUM, saveScreenshot } from '../helpers/browser.js'
import { startUiFixture, type UiFixture } from './ui-fixture.js'

const COMMENTED = `{
  // JSON5: comments and trailing commas are fine
  gateway: { mode: "local" },
  agents: {
    defaults: { model: { primary: "anthropic/claude-opus-4-5" } }, // the model
  },
}
`

async function openGroup(page: Page, path: string): Promise<void> {
  const group = page.locator(`details[data-path="${path}"]`)
  if (!(await group.getAttribute('open') !== null)) await group.locator('> summary').click()
}

// Issue 16, items 7 and 8: the Config view a newcomer used.
describe.skipIf(!HAS_CHROMIUM)('Control UI in Chromium: config editing that keeps the file (skipped: /usr/bin/chromium is not installed)', { timeout: 30_000 }, () => {
  let ui: UiFixture
  beforeAll(async () => {
    ui = await startUiFixture(COMMENTED)
  }, 30_000)
  afterAll(async () => {
    await ui?.close()
  })

  it('saves a form edit into the file text, keeping comments, with one clear banner', async () => {
    writeFileSync(ui.gateway.configPath, COMMENTED)
    const { page, problems } = await ui.signedIn('/config')
    await page.locator('.config-meta').getByText('valid').waitFor()
    await openGroup(page, 'agents')
    await openGroup(page, 'agents.defaults')
    await page.locator('#cfg-agents-defaults-userTimezone').fill('Europe/Berlin')
    await page.getByRole('button', { name: 'Save changes' }).click()
    const banner = page.locator('.banner.ok')
    await banner.waitFor()
    // The test gateway's reloader says only "applied live"; the Node reloader adds the changed paths.
    expect(await banner.textContent()).toBe('Saved and applied live.')
    const text = readFileSync(ui.gateway.configPath, 'utf8')
    expect(text).toContain('// JSON5: comments and trailing commas are fine')
    expect(text).toContain('// the model')
    expect(text).toContain('userTimezone: "Europe/Berlin"')
    expect(problems).toEqual([])
  })

  it('lists the sections this gateway uses first, with help, and folds the ignored ones away', async () => {
    const { page } = await ui.signedIn('/config')
    await page.locator('.config-meta').getByText('valid').waitFor()
    const first = page.locator('.config-sections > .config-section').first()
    expect(await first.getAttribute('data-path')).toBe('gateway')
    expect(await first.locator('.group-help').textContent()).toMatch(/Port, bind address, auth/)
    const unused = page.locator('.config-unused')
    expect(await unused.getAttribute('open')).toBeNull()
    expect(await unused.locator('> summary').textContent()).toMatch(/^Kept, not used here \(\d+ sections\)/)
    expect(await page.locator('.config-unused [data-path="browser"]').isVisible()).toBe(false)
    await unused.locator('> summary').click()
    // An open object with no listed keys is edited as JSON, so it is a field rather than a group.
    const browser = page.locator('.config-unused [data-path="browser"]')
    expect(await browser.textContent()).toContain('Browser (not used here)')
    expect(await browser.textContent()).toContain('Kept in the file (so it stays valid upstream), not used here.')
    await openGroup(page, 'gateway')
    expect(await page.locator('.field[data-path="gateway.bind"] .field-help').textContent()).toContain('tailnet is upstream-only')
    await saveScreenshot(page, 'config-sections', { fullPage: true })
  })

  it('keeps Save in view at the bottom of a long form', async () => {
    const { page } = await ui.signedIn('/config', { width: 1280, height: 600 })
    await page.locator('.config-meta').getByText('valid').waitFor()
    await page.locator('.config-unused > summary').click()
    await page.locator('.config-unused [data-path="wizard"]').scrollIntoViewIfNeeded()
    const save = page.getByRole('button', { name: 'Save' })
    const box = await save.boundingBox()
    expect(box).not.toBeNull()
    expect(box!.y).toBeGreaterThanOrEqual(0)
    expect(box!.y + box!.height).toBeLessThanOrEqual(600)
    expect(await save.evaluate((element) => {
      const rect = element.getBoundingClientRect()
      return document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2) === element
    })).toBe(true)
  })

  it('replaces the Problems list when the next attempt fails differently', async () => {
    writeFileSync(ui.gateway.configPath, COMMENTED)
    const { page } = await ui.signedIn('/config')
    await page.locator('.config-meta').getByText('valid').waitFor()
    await page.getByRole('tab', { name: 'Raw JSON5' }).click()
    await page.getByRole('button', { name: 'Reveal raw config' }).click()
    const raw = page.getByLabel('Raw config (JSON5)')
    await raw.fill('{ gateway: { mode: "local", port: -5 } }\n')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.locator('.issues').getByText('gateway.port').waitFor()
    await raw.fill('{ gateway: { mode: "local" ')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.locator('.banner.error').getByText(/JSON5/).waitFor()
    expect(await page.locator('.issues').isHidden()).toBe(true)
    expect(readFileSync(ui.gateway.configPath, 'utf8')).toBe(COMMENTED)
  })
})
