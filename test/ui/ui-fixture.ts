import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium, watchPageProblems } from '../helpers/browser.js'
import { startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient } from '../helpers/ws-client.js'

const GENERATED = resolve(import.meta.dirname, '../../src/ui-assets/assets.generated.js')

export const UI_CONFIG = '{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5", fallbacks: ["anthropic/claude-sonnet-4-5"] } } } }\n'

/**
 * One real gateway (in process, port 0) serving the embedded UI, a fake Anthropic API behind it, and headless
 * Chromium. Each test opens its own browser context, so storage starts empty.
 */
export async function startUiFixture(configText = UI_CONFIG) {
  if (!existsSync(GENERATED)) throw new Error('the Control UI is not built; run `npm run build` (vite build + embed) before the browser tests')
  const anthropic: FakeServer = await startFakeAnthropic()
  const gateway = await startTestGateway({ configText })
  gateway.deps.env = { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: anthropic.url }
  gateway.deps.fetch = globalThis.fetch.bind(globalThis)
  const browser: Browser = await launchChromium()
  const contexts: BrowserContext[] = []

  return {
    anthropic,
    gateway,
    browser,
    /** A fresh page (new context: empty localStorage) with problems recorded; opens `path` when given. */
    async open(path?: string, viewport = { width: 1280, height: 800 }, colorScheme: 'light' | 'dark' = 'light') {
      const context = await browser.newContext({ viewport, colorScheme })
      contexts.push(context)
      const page: Page = await context.newPage()
      page.setDefaultTimeout(10_000)
      const problems = watchPageProblems(page)
      if (path !== undefined) await page.goto(`${gateway.httpUrl}${path}`)
      return { page, problems }
    },
    /** A signed-in page with the chat ready (input enabled). */
    async signedIn(path = '/', viewport?: { width: number; height: number }, colorScheme?: 'light' | 'dark') {
      const separator = path.includes('?') ? '&' : '?'
      const opened = await this.open(`${path}${separator}token=${TEST_TOKEN}`, viewport, colorScheme)
      await opened.page.locator('.connection.connected').waitFor()
      return opened
    },
    /** A protocol client for checking what the UI did (config.get, sessions.list…). */
    async rpc() {
      const client = await openTestClient(gateway.url, { token: TEST_TOKEN })
      const hello = await client.connect()
      if (!hello.ok) throw new Error(`test client could not connect: ${JSON.stringify(hello.error)}`)
      return client
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined)
      await browser.close()
      await gateway.close()
      await anthropic.close()
      await Promise.allSettled(gateway.background)
    },
  }
}

export type UiFixture = Awaited<ReturnType<typeof startUiFixture>>
