import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HAS_CHROMIUM, saveScreenshot } from '../helpers/browser.js'
import { startUiFixture, type UiFixture } from './ui-fixture.js'

describe.skipIf(!HAS_CHROMIUM)('Control UI in Chromium: Schedules (skipped: /usr/bin/chromium is not installed)', { timeout: 30_000 }, () => {
  let ui: UiFixture
  beforeAll(async () => {
    ui = await startUiFixture()
  }, 30_000)
  afterAll(async () => {
    await ui?.close()
  })

  it('adds a cron reminder with the friendly form (next three runs previewed), pauses, shows history and deletes it', async () => {
    const { page, problems } = await ui.signedIn('/schedules')
    await page.getByText('No schedules yet').waitFor()
    await page.getByLabel('Name').fill('Weekday digest')
    await page.getByLabel('What should the assistant do or say?').fill('Summarise my notes')
    await page.getByLabel('Schedule').selectOption('cron')
    await page.getByLabel('Expression').fill('0 8 * * 1-5')
    await page.getByLabel('Time zone', { exact: true }).fill('UTC')
    const preview = page.locator('.cron-preview li')
    await expect.poll(() => preview.count()).toBe(3)
    await saveScreenshot(page, 'schedules-form')
    await page.getByRole('button', { name: 'Add reminder' }).click()

    const row = page.locator('tr[data-job]')
    await row.getByText('Weekday digest').waitFor()
    expect(await row.textContent()).toContain('cron 0 8 * * 1-5 (UTC)')
    const rpc = await ui.rpc()
    const [job] = (await rpc.request('cron.list', { includeDisabled: true })).payload.jobs
    expect(job).toMatchObject({ name: 'Weekday digest', enabled: true, schedule: { kind: 'cron', expr: '0 8 * * 1-5', tz: 'UTC' }, sessionTarget: 'isolated', payload: { kind: 'agentTurn', message: 'Summarise my notes', deliver: true, channel: 'last' } })
    const next = new Date(job.state.nextRunAtMs)
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([8, 0])

    await row.getByRole('button', { name: 'Pause' }).click()
    await row.getByText('paused').waitFor()
    expect((await rpc.request('cron.list', { includeDisabled: true })).payload.jobs[0].enabled).toBe(false)

    await row.getByRole('button', { name: 'History' }).click()
    await page.getByRole('dialog').getByText('No runs yet.').waitFor()
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()

    await row.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await page.getByText('No schedules yet').waitFor()
    expect((await rpc.request('cron.list', { includeDisabled: true })).payload.jobs).toEqual([])

    // A bad expression is reported inside the form, as upstream's tab does.
    await page.getByLabel('Name').fill('Broken')
    await page.getByLabel('What should the assistant do or say?').fill('x')
    await page.getByLabel('Schedule').selectOption('cron')
    await page.getByLabel('Expression').fill('every tuesday')
    await page.getByRole('button', { name: 'Add reminder' }).click()
    await page.locator('.schedule-form .panel-error').getByText(/^Error: /).waitFor()
    rpc.close()
    expect(problems).toEqual([])
  })
})
