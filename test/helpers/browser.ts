import { existsSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's Chromium, installed by `.ci/run`; the browser suites skip when it is missing. */
export const CHROMIUM_PATH = '/usr/bin/chromium'
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH)

/** Where screenshots go (git-ignored). */
export const ARTIFACTS_DIR = resolve(import.meta.dirname, '../../test-artifacts/ui')

// Quiet, offline, deterministic: no background services, no QUIC, no GPU.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Launches headless Chromium with a fresh temporary profile (Playwright makes a new user-data-dir per launch). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
}

/** Saves a screenshot of the page as `test-artifacts/ui/<name>.png`. */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  const path = resolve(ARTIFACTS_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled', caret: 'hide' })
  return path
}

/** Collects console errors and failed requests, so a test can assert the page ran cleanly (CSP, 404s). */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`))
  return problems
}
