import { readFileSync, writeFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HAS_CHROMIUM, saveScreenshot } from '../helpers/browser.js'
import { anthropicReply } from '../helpers/fake-anthropic-server.js'
import { startUiFixture, type UiFixture } from './ui-fixture.js'

/** Expands a config group (a `<details>`) unless it is already open. */
async function openGroup(page: Page, path: string): Promise<void> {
  const group = page.locator(`details[data-path="${path}"]`)
  if ((await group.getAttribute('open')) === null) await group.locator('> summary').click()
}

describe.skipIf(!HAS_CHROMIUM)('Control UI in Chromium: sessions, config, overview, logs (skipped: /usr/bin/chromium is not installed)', { timeout: 30_000 }, () => {
  let ui: UiFixture
  beforeAll(async () => {
    ui = await startUiFixture()
    // A conversation on the main session and a second, labelled session to manage.
    ui.anthropic.script(anthropicReply(['Hi!'], { usage: { input: 1200, output: 30 } }))
    const rpc = await ui.rpc()
    await rpc.request('chat.send', { sessionKey: 'agent:main:main', message: 'hello', idempotencyKey: 'seed-1' })
    await rpc.waitFor((frame) => frame.event === 'chat' && frame.payload?.runId === 'seed-1' && frame.payload.state === 'final')
    await rpc.request('sessions.patch', { key: 'agent:main:side-project', label: 'Side project' })
    rpc.close()
  }, 30_000)
  afterAll(async () => {
    await ui?.close()
  })

  it('lists sessions, renames one and deletes it after confirmation; the main session cannot be deleted', async () => {
    const { page, problems } = await ui.signedIn('/sessions')
    const row = page.locator('tr[data-key="agent:main:side-project"]')
    await row.waitFor()
    const main = page.locator('tr[data-key="agent:main:main"]')
    expect(await main.getByRole('button', { name: /^Delete/ }).isDisabled()).toBe(true)
    expect(await main.textContent()).toMatch(/claude-opus-4-5/)
    await saveScreenshot(page, 'sessions')

    await row.getByRole('button', { name: 'Rename Side project' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Label').fill('Holiday plans')
    await dialog.getByRole('button', { name: 'Save' }).click()
    const renamed = page.locator('tr[data-key="agent:main:side-project"]')
    await renamed.getByText('Holiday plans').waitFor()
    const rpc = await ui.rpc()
    const listed = (await rpc.request('sessions.list', {})).payload.sessions
    expect(listed.find((entry: { key: string }) => entry.key === 'agent:main:side-project').label).toBe('Holiday plans')

    await renamed.getByRole('button', { name: 'Delete Holiday plans' }).click()
    await page.getByRole('dialog').getByText('cannot be undone').waitFor()
    await saveScreenshot(page, 'sessions-delete-confirm')
    await page.getByRole('dialog').getByRole('button', { name: 'Delete session' }).click()
    await renamed.waitFor({ state: 'detached' })
    const after = (await rpc.request('sessions.list', {})).payload.sessions
    expect(after.map((entry: { key: string }) => entry.key)).not.toContain('agent:main:side-project')
    rpc.close()
    expect(problems).toEqual([])
  })

  it('edits a config field in the form, saves it with baseHash, and config.get shows it', async () => {
    const { page, problems } = await ui.signedIn('/config')
    await page.getByText('Saved changes apply live').waitFor()
    await openGroup(page, 'agents')
    await openGroup(page, 'agents.defaults')
    await page.locator('#cfg-agents-defaults-userTimezone').fill('Europe/Berlin')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.locator('.banner.ok').getByText('Saved and applied live').waitFor()
    await saveScreenshot(page, 'config-saved')
    const rpc = await ui.rpc()
    const snapshot = (await rpc.request('config.get', {})).payload
    expect(snapshot.config.agents.defaults.userTimezone).toBe('Europe/Berlin')
    expect(snapshot.config.agents.defaults.model.primary).toBe('anthropic/claude-opus-4-5')
    rpc.close()
    expect(problems).toEqual([])
  })

  it('shows validation issues at the field and does not write', async () => {
    const { page } = await ui.signedIn('/config')
    await page.getByText('Saved changes apply live').waitFor()
    const before = readFileSync(ui.gateway.configPath, 'utf8')
    await openGroup(page, 'gateway')
    await page.locator('#cfg-gateway-port').fill('-5')
    await page.getByRole('button', { name: 'Save changes' }).click()
    const issue = page.locator('.field[data-path="gateway.port"] .field-issue')
    await issue.waitFor()
    expect(await page.locator('#cfg-gateway-port').getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('.banner.error').textContent()).toMatch(/invalid/)
    await saveScreenshot(page, 'config-invalid')
    expect(readFileSync(ui.gateway.configPath, 'utf8')).toBe(before)
  })

  it('refuses a save based on a stale load and explains the conflict', async () => {
    const { page } = await ui.signedIn('/config')
    await page.getByText('Saved changes apply live').waitFor()
    await page.locator('.config-meta').getByText('valid').waitFor()
    // Someone else edits the file after the page loaded it.
    const text = readFileSync(ui.gateway.configPath, 'utf8')
    writeFileSync(ui.gateway.configPath, text.replace('"local"', '"local" /* edited elsewhere */'))
    await page.getByRole('tab', { name: 'Raw JSON5' }).click()
    await page.getByRole('button', { name: 'Reveal raw config' }).click()
    const raw = page.getByLabel('Raw config (JSON5)')
    await raw.fill(`${(await raw.inputValue()).trimEnd()}\n`.replace('"local"', '"remote"'))
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.locator('.banner.error').getByText('changed since you loaded it').waitFor()
    await saveScreenshot(page, 'config-conflict')
    expect(readFileSync(ui.gateway.configPath, 'utf8')).toContain('edited elsewhere')
    // Reload picks up the other edit.
    await page.getByRole('button', { name: 'Reload (discard my edits)' }).click()
    await page.locator('.banner.error').waitFor({ state: 'hidden' })
    expect(await raw.inputValue()).toContain('edited elsewhere')
  })

  it('masks secrets in the form until revealed', async () => {
    const { page } = await ui.signedIn('/config')
    await page.getByText('Saved changes apply live').waitFor()
    await openGroup(page, 'gateway')
    await openGroup(page, 'gateway.auth')
    const token = page.locator('#cfg-gateway-auth-token')
    expect(await token.getAttribute('type')).toBe('password')
    await page.getByRole('button', { name: 'Show Token' }).click()
    expect(await token.getAttribute('type')).toBe('text')
    await saveScreenshot(page, 'config-form')
  })

  it('shows the overview: health, version, model chain, Discord interactions URL', async () => {
    const { page, problems } = await ui.signedIn('/overview')
    await page.locator('.tile').first().waitFor()
    await page.getByRole('heading', { name: 'Model chain' }).waitFor()
    expect(await page.locator('.chain').textContent()).toMatch(/claude-opus-4-5.*primary.*claude-sonnet-4-5.*fallback 1/)
    expect(await page.locator('#interactions-url').textContent()).toBe(`${ui.gateway.httpUrl}/discord/interactions`)
    expect(await page.locator('.tile').first().textContent()).toMatch(/Health\s*OK/)
    await saveScreenshot(page, 'overview', { fullPage: true })
    expect(problems).toEqual([])
  })

  it('tails the logs live with a level filter and search', async () => {
    ui.gateway.deps.logger.child('ui-test').info('logs view test started')
    const { page, problems } = await ui.signedIn('/logs')
    await page.locator('.log-line').getByText('logs view test started').waitFor()
    ui.gateway.deps.logger.child('ui-test').warn('disk almost full on /data')
    await page.locator('.log-line').getByText('disk almost full').waitFor()
    await page.getByLabel('Minimum level').selectOption('warn')
    expect(await page.locator('.log-line.level-info').count()).toBe(0)
    await page.getByLabel('Search logs').fill('disk almost')
    expect(await page.locator('.log-line').count()).toBe(1)
    await saveScreenshot(page, 'logs')
    await page.getByLabel('Search logs').fill('')
    await page.getByLabel('Minimum level').selectOption('trace')
    expect(await page.locator('.log-line').count()).toBeGreaterThan(1)
    expect(problems).toEqual([])
  })

  it('fits the sessions and config views on a phone-sized screen', async () => {
    const { page } = await ui.signedIn('/sessions', { width: 375, height: 740 })
    await page.locator('tr[data-key="agent:main:main"]').waitFor()
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(await overflow()).toBeLessThanOrEqual(0)
    await saveScreenshot(page, 'sessions-phone')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Config' }).click()
    await page.getByText('Saved changes apply live').waitFor()
    expect(await overflow()).toBeLessThanOrEqual(0)
    await saveScreenshot(page, 'config-phone')
  })

  it('renders the dark theme and switches theme from the header', async () => {
    const { page } = await ui.signedIn('/sessions', undefined, 'dark')
    await page.locator('tr[data-key="agent:main:main"]').waitFor()
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    expect(background).toBe('rgb(15, 17, 21)')
    await saveScreenshot(page, 'sessions-dark')
    await page.getByRole('button', { name: /Theme: system/ }).click()
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light')
  })
})
