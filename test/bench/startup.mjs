// Start-up and idle-memory benchmark for the built gateway (run it with `npm run bench`, which builds first).
//
// 1. Cold start: spawns `node dist/index.js gateway` RUNS times and measures spawn → first 200 from GET /health.
// 2. Idle memory: starts one more, leaves it idle for IDLE_MS, then reads VmRSS from /proc/<pid>/status (Linux).
//
// Each run gets its own temp state dir and HOME, --port 0 (the port is read from the `listening on` log line) and a
// gateway token, so nothing on the machine (a real ~/.clawdbot, a busy port) affects the figures.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const ENTRY = join(ROOT, 'dist', 'index.js')
const RUNS = 5
const IDLE_MS = 10_000
const START_TIMEOUT_MS = 15_000
const STOP_TIMEOUT_MS = 10_000
const LISTENING = /listening on ws:\/\/(\S+?):(\d+)/

const workDir = mkdtempSync(join(tmpdir(), 'clawdbot-bench-'))
const running = new Set()

process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
  rmSync(workDir, { recursive: true, force: true })
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(130))
}

try {
  await main()
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  // Live children keep the event loop (and this script) alive.
  for (const child of running) child.kill('SIGKILL')
}

async function main() {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing; run \`npm run build\` first (or use \`npm run bench\`)`)
  console.log(`gateway start-up benchmark (node ${process.version}, ${process.platform}/${process.arch})`)

  const times = []
  for (let run = 1; run <= RUNS; run++) {
    const gateway = startGateway(`run-${run}`)
    const { port, listeningMs } = await gateway.listening
    const healthyMs = await firstHealthy(port, gateway)
    times.push(healthyMs)
    console.log(`  run ${run}: listening after ${fmt(listeningMs)} ms, /health 200 after ${fmt(healthyMs)} ms`)
    await stop(gateway)
  }
  console.log(`cold start to /health 200: median ${fmt(median(times))} ms (runs: ${times.map(fmt).join(', ')} ms)`)

  const idle = startGateway('idle')
  const { port } = await idle.listening
  await firstHealthy(port, idle)
  await delay(IDLE_MS)
  const memory = readProcMemory(idle.child.pid)
  if (memory) {
    const peak = memory.hwmKb === undefined ? '' : ` (peak ${mb(memory.hwmKb)} MB)`
    console.log(`idle RSS after ${IDLE_MS / 1000} s: ${mb(memory.rssKb)} MB${peak}`)
  } else {
    console.log(`idle RSS after ${IDLE_MS / 1000} s: n/a (/proc/<pid>/status is Linux-only)`)
  }
  await stop(idle)
}

function startGateway(label) {
  const started = performance.now()
  const home = mkdtempSync(join(workDir, `${label}-home-`))
  const env = { ...process.env }
  for (const key of Object.keys(env)) {
    if (/^(CLAWDBOT_|MOLTBOT_|npm_)/i.test(key)) delete env[key]
  }
  Object.assign(env, {
    HOME: home,
    USERPROFILE: home,
    NODE_ENV: 'production',
    CLAWDBOT_STATE_DIR: mkdtempSync(join(workDir, `${label}-state-`)),
    CLAWDBOT_GATEWAY_TOKEN: 'bench-token',
  })
  const child = spawn(process.execPath, [ENTRY, 'gateway', '--allow-unconfigured', '--port', '0', '--bind', 'loopback'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  const output = []
  child.stderr.on('data', (chunk) => output.push(String(chunk)))
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child)
      resolve({ code, signal })
    })
  })

  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label}: no "listening on" line within ${START_TIMEOUT_MS} ms\n${output.join('')}`)), START_TIMEOUT_MS)
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(`${line}\n`)
      const match = LISTENING.exec(line)
      if (match) {
        clearTimeout(timer)
        resolve({ port: Number(match[2]), listeningMs: performance.now() - started })
      }
    })
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`${label}: gateway exited (${code ?? signal}) before listening\n${output.join('')}`))
    })
  })
  listening.catch(() => {})
  return { child, started, exited, listening }
}

// Tight polling: every attempt starts as soon as the previous one fails or answers non-200.
async function firstHealthy(port, gateway) {
  const deadline = gateway.started + START_TIMEOUT_MS
  const url = `http://127.0.0.1:${port}/health`
  for (;;) {
    if (gateway.child.exitCode !== null || gateway.child.signalCode !== null) throw new Error('gateway exited before /health answered 200')
    try {
      const response = await fetch(url)
      await response.arrayBuffer()
      if (response.status === 200) return performance.now() - gateway.started
    } catch {
      // not accepting connections yet
    }
    if (performance.now() > deadline) throw new Error(`/health did not answer 200 within ${START_TIMEOUT_MS} ms`)
  }
}

async function stop(gateway) {
  if (gateway.child.exitCode !== null || gateway.child.signalCode !== null) return
  gateway.child.kill('SIGTERM')
  const timer = setTimeout(() => gateway.child.kill('SIGKILL'), STOP_TIMEOUT_MS)
  const { code, signal } = await gateway.exited
  clearTimeout(timer)
  if (code !== 0) console.warn(`  warning: gateway exited with ${code ?? signal} after SIGTERM (expected 0)`)
}

function readProcMemory(pid) {
  const path = `/proc/${pid}/status`
  if (!existsSync(path)) return undefined
  const status = readFileSync(path, 'utf8')
  const field = (name) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status)
    return match ? Number(match[1]) : undefined
  }
  const rssKb = field('VmRSS')
  return rssKb === undefined ? undefined : { rssKb, hwmKb: field('VmHWM') }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function fmt(ms) {
  return String(Math.round(ms))
}

function mb(kb) {
  return (kb / 1024).toFixed(1)
}
