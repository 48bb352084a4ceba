import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HAS_CHROMIUM, saveScreenshot } from '../helpers/browser.js'
import { startMcpTestServer, type McpTestServer } from '../helpers/mcp-test-server.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startUiFixture, type UiFixture } from './ui-fixture.js'

describe.skipIf(!HAS_CHROMIUM)('Control UI in Chromium: MCP servers on the Overview (skipped: /usr/bin/chromium is not installed)', { timeout: 30_000 }, () => {
  let ui: UiFixture
  let notes: McpTestServer
  beforeAll(async () => {
    notes = await startMcpTestServer()
    const down = await startMcpTestServer()
    const downUrl = down.url
    await down.close()
    ui = await startUiFixture(`{
      gateway: { mode: "local" },
      agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } },
      mcp: { servers: { notes: { url: "${notes.url}", allowPrivateNetwork: true }, calendar: { url: "${downUrl}", allowPrivateNetwork: true } } },
    }\n`)
  }, 30_000)
  afterAll(async () => {
    await ui?.close()
    await notes?.close()
  })

  it('lists each server with its state, tool count and, for one that is down, why', async () => {
    const { page, problems } = await ui.signedIn('/overview')
    const card = page.locator('#mcp-card')
    const connected = card.locator('[data-mcp-server="notes"]')
    await connected.getByText('connected').waitFor()
    expect(await connected.textContent()).toContain('4 tools')
    const broken = card.locator('[data-mcp-server="calendar"]')
    await broken.getByText('error').waitFor()
    expect(await broken.locator('.problem').textContent()).toBeTruthy()
    await saveScreenshot(page, 'overview-mcp')
    expect(problems).toEqual([])
  })

  it('reports the same states in /api/health under mcp', async () => {
    const response = await fetch(`${ui.gateway.httpUrl}/api/health`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })
    const body = (await response.json()) as { mcp: { servers: { name: string; state: string; toolCount: number }[] } }
    const byName = Object.fromEntries(body.mcp.servers.map((server) => [server.name, server]))
    expect(byName.notes).toMatchObject({ state: 'connected', toolCount: 4 })
    expect(byName.calendar?.state).toBe('error')
  })
})
