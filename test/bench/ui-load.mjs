// Control UI load benchmark (run after `npm run build`): bundle size and time to interactive on localhost.
//
// 1. Bundle: every file of dist/ui, raw and gzipped (level 9), and the total the browser downloads.
// 2. Time to interactive: starts the built gateway (port 0, temp state, a token), opens `/?token=…` in headless
//    Debian Chromium RUNS times, each in a fresh browser context (empty cache and storage), and reads the
//    `clawdbot-ui:interactive` mark the UI sets when the chat input is enabled after `hello-ok`. Its startTime is
//    relative to navigation start.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const ENTRY = join(ROOT, 'dist', 'index.js')
const UI_DIR = join(ROOT, 'dist', 'ui')
const CHROMIUM = '/usr/bin/chromium'
const RUNS = 7
const TOKEN = 'bench-token'
const LISTENING = /listening on ws:\/\/(\S+?):(\d+)/

const workDir = mkdtempSync(join(tmpdir(), 'clawdbot-ui-bench-'))
let gateway
process.on('exit', () => {
  gateway?.kill('SIGKILL')
  rmSync(workDir, { recursive: true, force: true })
})

try {
  await main()
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  gateway?.kill('SIGTERM')
}

async function main() {
  if (!existsSync(join(UI_DIR, 'index.html')) || !existsSync(ENTRY)) throw new Error('dist/ui or dist/index.js is missing; run `npm run build` first')
  console.log(`Control UI benchmark (node ${process.version})`)
  reportBundle()
  if (!existsSync(CHROMIUM)) {
    console.log(`time to interactive: skipped (${CHROMIUM} is not installed)`)
    return
  }
  const port = await startGateway()
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
  try {
    const times = []
    for (let run = 1; run <= RUNS; run++) {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(`http://127.0.0.1:${port}/?token=${TOKEN}`)
      await page.locator('#chat-input:enabled').waitFor({ timeout: 15_000 })
      const timing = await page.evaluate(() => ({
        interactive: performance.getEntriesByName('clawdbot-ui:interactive')[0]?.startTime,
        domContentLoaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd,
      }))
      times.push(timing.interactive)
      console.log(`  run ${run}: DOMContentLoaded ${fmt(timing.domContentLoaded)} ms, interactive (connected, input enabled) ${fmt(timing.interactive)} ms`)
      await context.close()
    }
    const sorted = [...times].sort((a, b) => a - b)
    console.log(`time to interactive on localhost: median ${fmt(sorted[Math.floor(sorted.length / 2)])} ms (first, cold ${fmt(times[0])} ms)`)
  } finally {
    await browser.close()
  }
}

function reportBundle() {
  const files = listFiles(UI_DIR)
  let raw = 0
  let gzip = 0
  for (const file of files) {
    const bytes = readFileSync(file)
    const zipped = gzipSync(bytes, { level: 9 }).length
    raw += bytes.length
    gzip += zipped
    console.log(`  ${relative(UI_DIR, file).padEnd(34)} ${kb(bytes.length).padStart(8)} raw ${kb(zipped).padStart(8)} gzip`)
  }
  console.log(`bundle total: ${kb(raw)} raw, ${kb(gzip)} gzipped (budget 150 KB gzipped)`)
}

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? listFiles(path) : [path]
  })
}

function startGateway() {
  const home = mkdtempSync(join(workDir, 'home-'))
  const env = { ...process.env }
  for (const key of Object.keys(env)) if (/^(CLAWDBOT_|MOLTBOT_|npm_)/i.test(key)) delete env[key]
  Object.assign(env, { HOME: home, USERPROFILE: home, NODE_ENV: 'production', CLAWDBOT_STATE_DIR: mkdtempSync(join(workDir, 'state-')), CLAWDBOT_GATEWAY_TOKEN: TOKEN })
  gateway = spawn(process.execPath, [ENTRY, 'gateway', '--allow-unconfigured', '--port', '0', '--bind', 'loopback'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const output = []
  gateway.stderr.on('data', (chunk) => output.push(String(chunk)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within 15 s\n${output.join('')}`)), 15_000)
    createInterface({ input: gateway.stdout }).on('line', (line) => {
      output.push(`${line}\n`)
      const match = LISTENING.exec(line)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[2]))
      }
    })
    gateway.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`gateway exited (${code}) before listening\n${output.join('')}`))
    })
  })
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`
}

function fmt(value) {
  return typeof value === 'number' ? value.toFixed(0) : 'n/a'
}
