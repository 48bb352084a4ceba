import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeWorkspaceFiles } from '../../src/runtime/node/node-workspace-files.js'
import { HAS_CHROMIUM } from '../helpers/browser.js'
import { anthropicReply, anthropicToolUse, gate } from '../helpers/fake-anthropic-server.js'
import { startUiFixture, type UiFixture } from './ui-fixture.js'

describe.skipIf(!HAS_CHROMIUM)('Control UI in Chromium: tool cards and the Memory panel (skipped: /usr/bin/chromium is not installed)', { timeout: 30_000 }, () => {
  let ui: UiFixture
  beforeAll(async () => {
    ui = await startUiFixture()
    ui.gateway.deps.workspaceFiles = createNodeWorkspaceFiles()
    const workspace = join(ui.gateway.deps.state.stateDir, 'workspace')
    mkdirSync(join(workspace, 'memory'), { recursive: true })
    writeFileSync(join(workspace, 'MEMORY.md'), '# Long-term\n\nThe user lives in **Bergen**.\n')
    writeFileSync(join(workspace, 'memory', '2026-01-28.md'), '- Booked a dentist visit.\n')
  }, 30_000)
  afterAll(async () => {
    await ui?.close()
  })

  it('shows a live card while the tool step runs, then the card from history with its output', async () => {
    const hold = gate()
    ui.anthropic.script(anthropicToolUse([{ id: 'toolu_ui', name: 'memory_search', input: { query: 'where the user lives' } }]), anthropicReply([hold, 'You live in Bergen.']))
    const { page, problems } = await ui.signedIn()
    await page.locator('#chat-input').fill('where do I live?')
    await page.keyboard.press('Enter')
    const live = page.locator('.thread-stream .tool-card')
    await live.waitFor()
    expect(await live.locator('.tool-title').textContent()).toBe('Memory Search')
    expect(await live.locator('.tool-detail').textContent()).toBe('where the user lives')
    expect(await live.locator('.tool-icon').textContent()).toBe('🧠')
    hold.open()
    await page.locator('.thread-list .message.assistant', { hasText: 'You live in Bergen.' }).waitFor()
    const card = page.locator('.thread-list .tool-card[data-tool="memory_search"]')
    await card.waitFor()
    expect(await page.locator('.thread-stream .tool-card').count()).toBe(0)
    expect(await card.locator('.tool-status').textContent()).toMatch(/^\d+ ms$|^\d+\.\d s$/)
    expect(await card.evaluate((element) => element.classList.contains('error'))).toBe(false)
    await card.locator('summary').click()
    expect(await card.locator('pre').textContent()).toContain('"path": "MEMORY.md"')
    // The paired result is inside the card, not a separate message.
    expect(await page.locator('.thread-list .message.tool').count()).toBe(0)
    expect(problems).toEqual([])
  })

  it('lists the memory files read-only in the Memory panel', async () => {
    const { page, problems } = await ui.signedIn('/memory')
    await page.locator('.memory-file').first().waitFor()
    expect(await page.locator('.memory-file .memory-path').allTextContents()).toEqual(['MEMORY.md', 'memory/2026-01-28.md'])
    expect(await page.locator('.memory-file').first().locator('.markdown').textContent()).toContain('The user lives in Bergen.')
    expect(await page.locator('.memory-view textarea, .memory-view [contenteditable]').count()).toBe(0)
    expect(problems).toEqual([])
  })

  it('turns verbose tool lines on for a session from the Sessions page', async () => {
    const { page, problems } = await ui.signedIn('/sessions')
    const toggle = page.locator('tr[data-key="agent:main:main"] button[aria-label^="Verbose"]')
    await toggle.waitFor()
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')
    await toggle.click()
    await page.locator('tr[data-key="agent:main:main"] button[aria-pressed="true"]').waitFor()
    const rpc = await ui.rpc()
    const list = await rpc.request('sessions.list', {})
    rpc.close()
    expect(list.payload.sessions.find((row: { key: string }) => row.key === 'agent:main:main').verboseLevel).toBe('on')
    expect(problems).toEqual([])
  })
})
