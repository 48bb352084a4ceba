import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HAS_CHROMIUM, saveScreenshot } from '../helpers/browser.js'
import { startUiFixture, type UiFixture } from './ui-fixture.js'

const HOOK_TOKEN = 'ui-hook-token-123'
const CONFIG = `{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } },
  hooks: { enabled: true, token: "${HOOK_TOKEN}", mappings: [{ id: "github", match: { path: "github" }, messageTemplate: "{{action}}", deliver: false }] } }\n`

describe.skipIf(!HAS_CHROMIUM)('Control UI in Chromium: webhook URLs on the Config view (skipped: /usr/bin/chromium is not installed)', { timeout: 30_000 }, () => {
  let ui: UiFixture
  beforeAll(async () => {
    ui = await startUiFixture(CONFIG)
  }, 30_000)
  afterAll(async () => {
    await ui?.close()
  })

  it('lists the hook URLs with copy buttons and a curl example that works, never showing the token', async () => {
    const { page, problems } = await ui.signedIn('/config')
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.gateway.httpUrl })
    const card = page.locator('#hooks-card')
    await card.getByRole('heading', { name: 'Webhooks' }).waitFor()
    const urls = await card.locator('.hook-url').allTextContents()
    expect(urls).toEqual([`${ui.gateway.httpUrl}/hooks/wake`, `${ui.gateway.httpUrl}/hooks/agent`, `${ui.gateway.httpUrl}/hooks/github`])
    expect(await card.locator('#hooks-curl').textContent()).toContain(`curl -X POST ${ui.gateway.httpUrl}/hooks/agent`)
    expect(await card.textContent()).not.toContain(HOOK_TOKEN)
    await saveScreenshot(page, 'config-webhooks')

    await card.locator('.copy-row').first().getByRole('button').click()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied).toBe(`${ui.gateway.httpUrl}/hooks/wake`)
    // The copied URL is the real endpoint: it answers with upstream's wake reply.
    const response = await fetch(copied, { method: 'POST', headers: { authorization: `Bearer ${HOOK_TOKEN}` }, body: JSON.stringify({ text: 'from the UI test' }) })
    expect(await response.json()).toEqual({ ok: true, mode: 'now' })
    expect(problems).toEqual([])
  })
})
