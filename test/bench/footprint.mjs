// Footprint benchmark of the built gateway (dist/), on the Node on PATH and on Node 24, the runtime of the Docker
// image (fetched once by production-node.mjs). Per runtime:
// Every gateway runs with the NODE_OPTIONS of fly.toml (the heap flags), as on the Fly machine.
//   1. cold start: spawn → first 200 from GET /health, median of COLD_RUNS;
//   2. idle RSS IDLE_MS after start (the gateways of all runtimes idle side by side, so this costs IDLE_MS once);
//   3. connect 200 authenticated CLI clients (as upstream's comparison did) and 200 Control UI clients: time, bytes
//      sent to them, RSS; then every client leaves and SIGTERM → exit is timed;
//   4. load: with --trace-gc, 200 clients, CHAT_RATE chat.send per second for
//      LOAD_MS against a fake streaming Anthropic API, in 3 rounds: RSS after each round, peak RSS, full GCs, ack and
//      final latency p50/p99, errors.
// Usage: node test/bench/footprint.mjs [--production-only]   (npm run bench:footprint runs the Node 24 part only)
// BENCH_IDLE_MS and BENCH_LOAD_MS shorten the runs; BENCH_NODE24 picks or skips Node 24 (see production-node.mjs);
// BENCH_NODE_OPTIONS replaces the fly.toml flags (to compare heap settings); BENCH_PARTS=idle,connect,load picks parts;
// BENCH_NODE_ARGS adds node flags to every gateway (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" for a profile).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { benchRuntimes } from './production-node.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const ENTRY = join(ROOT, 'dist', 'index.js')
const COLD_RUNS = 5
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 60_000)
const LOAD_MS = Number(process.env.BENCH_LOAD_MS ?? 60_000)
const ROUNDS = 3
const CLIENTS = 200
const CHAT_RATE = 20
const TOKEN = 'bench-token-123456'
const LISTENING = /listening on ws:\/\/127\.0\.0\.1:(\d+)/
const CLI_CLIENT = { id: 'cli', version: '1.0.0', platform: 'linux', mode: 'cli' }
const UI_CLIENT = { id: 'moltbot-control-ui', version: 'dev', platform: 'web', mode: 'webchat' }

const workDir = mkdtempSync(join(tmpdir(), 'clawdbot-footprint-'))
const running = new Set()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
  rmSync(workDir, { recursive: true, force: true })
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130))

const provider = await startFakeAnthropic()
try {
  await main()
} catch (error) {
  console.error(`footprint bench failed: ${error instanceof Error ? error.stack : String(error)}`)
  process.exitCode = 1
} finally {
  for (const child of running) child.kill('SIGKILL')
  provider.close()
}

async function main() {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing; run \`npm run build\` first (or use \`npm run bench\`)`)
  const runtimes = benchRuntimes({ only: process.argv.includes('--production-only') ? 'production' : undefined })
  const flyEnv = readFlyEnv()
  const flyNodeOptions = flyEnv.NODE_OPTIONS
  console.log(`footprint benchmark: ${runtimes.map((runtime) => runtime.label).join(' and ')}; dist/ ${mb(directoryBytes(join(ROOT, 'dist')))} MB; fly.toml [env]: ${Object.entries(flyEnv).map(([key, value]) => `${key}="${value}"`).join(' ')}`)
  console.log(`  load average at start: ${readLoadAverage()} on ${navigatorCpus()} CPUs (figures taken on a busy machine are noisy)`)

  const parts = new Set((process.env.BENCH_PARTS ?? 'idle,connect,load').split(','))
  if (parts.has('idle')) await idleRun(runtimes, flyNodeOptions)
  if (parts.has('connect')) {
    for (const runtime of runtimes) {
      await connectRun(runtime, CLI_CLIENT, 'CLI', flyNodeOptions)
      await connectRun(runtime, UI_CLIENT, 'Control UI', flyNodeOptions)
    }
  }
  if (parts.has('load')) for (const runtime of runtimes) await loadRun(runtime, flyNodeOptions)
  console.log(`  load average at end: ${readLoadAverage()}`)
}

async function idleRun(runtimes, nodeOptions) {
  const idle = await Promise.all(runtimes.map((runtime) => startGateway(runtime, 'idle', { nodeOptions })))
  const idleSince = performance.now()
  for (const runtime of runtimes) await coldStart(runtime, nodeOptions)
  await delay(Math.max(0, IDLE_MS - (performance.now() - idleSince)))
  for (const [index, gateway] of idle.entries()) {
    const memory = readProcMemory(gateway.child.pid)
    // File-backed pages are mostly Node's own binary; how many count varies by a few MB from run to run.
    console.log(`[${runtimes[index].label}] idle RSS ${IDLE_MS / 1000} s after start: ${mb(memory.rssKb * 1024)} MB (anonymous ${mb(memory.anonKb * 1024)} MB, file-backed ${mb(memory.fileKb * 1024)} MB; peak ${mb(memory.hwmKb * 1024)} MB)`)
    await stopGateway(gateway)
  }
}

async function coldStart(runtime, nodeOptions) {
  const times = []
  for (let run = 0; run < COLD_RUNS; run++) {
    const gateway = await startGateway(runtime, `cold-${run}`, { nodeOptions })
    times.push(gateway.healthyMs)
    await stopGateway(gateway)
  }
  console.log(`[${runtime.label}] cold start to /health 200: median ${median(times).toFixed(0)} ms (runs: ${times.map((time) => time.toFixed(0)).join(', ')})`)
}

async function connectRun(runtime, client, label, nodeOptions) {
  const gateway = await startGateway(runtime, `connect-${client.mode}`, { nodeOptions })
  const before = readProcMemory(gateway.child.pid).rssKb
  const counter = { bytes: 0, presence: 0 }
  const started = performance.now()
  const clients = []
  for (let index = 0; index < CLIENTS; index++) clients.push(await openClient(gateway.port, client, counter))
  const connectMs = performance.now() - started
  const connectBytes = counter.bytes
  const after = readProcMemory(gateway.child.pid).rssKb
  console.log(`[${runtime.label}] connect ${CLIENTS} ${label} clients one after another: ${connectMs.toFixed(0)} ms, ${mb(connectBytes)} MB sent to them (${counter.presence} presence events), RSS ${mb(before * 1024)} → ${mb(after * 1024)} MB (+${((after - before) / CLIENTS).toFixed(1)} KB per client)`)
  await Promise.all(clients.map((opened) => opened.close()))
  const exit = await stopGateway(gateway)
  console.log(`[${runtime.label}]   after the ${label} clients left: SIGTERM → exit ${exit.exitMs.toFixed(0)} ms ("gateway stopped" → exit ${exit.afterStoppedMs?.toFixed(0) ?? 'n/a'} ms), exit code ${exit.code ?? exit.signal}`)
}

async function loadRun(runtime, nodeOptions) {
  const gateway = await startGateway(runtime, 'load', { nodeOptions, traceGc: true })
  const clients = []
  const counter = { bytes: 0, presence: 0 }
  for (let index = 0; index < CLIENTS; index++) clients.push(await openClient(gateway.port, CLI_CLIENT, counter))
  const acks = []
  const finals = []
  let errors = 0
  let sent = 0
  const pending = new Set()
  const roundRss = []
  const intervalMs = 1000 / CHAT_RATE
  const started = performance.now()
  for (let round = 1; round <= ROUNDS; round++) {
    const roundEnd = started + (LOAD_MS * round) / ROUNDS
    for (let next = performance.now(); next < roundEnd; next += intervalMs) {
      const wait = next - performance.now()
      if (wait > 0) await delay(wait)
      const client = clients[sent % CLIENTS]
      const runId = `load-${sent}`
      sent += 1
      const chat = client.chat(`bench-${sent % CLIENTS}`, runId).then(
        ({ ackMs, finalMs, ok }) => {
          acks.push(ackMs)
          if (ok) finals.push(finalMs)
          else errors += 1
        },
        () => (errors += 1),
      )
      pending.add(chat)
      void chat.finally(() => pending.delete(chat))
    }
    roundRss.push(readProcMemory(gateway.child.pid).rssKb)
  }
  await Promise.all(pending)
  const closedEarly = clients.filter((client) => client.closedEarly()).length
  errors += closedEarly
  const memory = readProcMemory(gateway.child.pid)
  await Promise.all(clients.map((client) => client.close()))
  const exit = await stopGateway(gateway)
  const growth = roundRss.slice(1).map((rss, index) => ((rss / roundRss[index] - 1) * 100).toFixed(1))
  console.log(`[${runtime.label}] load ${LOAD_MS / 1000} s, ${CLIENTS} clients, ${CHAT_RATE} chat.send/s (${sent} runs) under NODE_OPTIONS="${nodeOptions}":`)
  console.log(`[${runtime.label}]   peak RSS ${mb(memory.hwmKb * 1024)} MB; RSS after each round ${roundRss.map((kb) => mb(kb * 1024)).join(' / ')} MB (growth ${growth.join('%, ')}%); full GCs ${gateway.fullGcs()} (heap after the last: ${gateway.lastFullGc() || 'n/a'}); errors ${errors}`)
  console.log(`[${runtime.label}]   ack p50 ${pick(acks, 0.5)} ms, p99 ${pick(acks, 0.99)} ms; final p50 ${pick(finals, 0.5)} ms, p99 ${pick(finals, 0.99)} ms; SIGTERM → exit ${exit.exitMs.toFixed(0)} ms`)
}

// ---------------------------------------------------------------------------------------------------------------------

async function startGateway(runtime, label, options = {}) {
  const started = performance.now()
  const home = mkdtempSync(join(workDir, `${label}-`))
  const env = { PATH: process.env.PATH, HOME: home, TMPDIR: home, NODE_ENV: 'production', CLAWDBOT_STATE_DIR: join(home, 'state'), CLAWDBOT_GATEWAY_TOKEN: TOKEN, ANTHROPIC_API_KEY: 'sk-ant-bench', ANTHROPIC_BASE_URL: provider.url }
  if (options.nodeOptions) Object.assign(env, readFlyEnv(), { NODE_OPTIONS: options.nodeOptions })
  const extraArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []
  const args = [...(options.traceGc ? ['--trace-gc'] : []), ...extraArgs, ENTRY, 'gateway', '--allow-unconfigured', '--port', '0', '--bind', 'loopback']
  const child = spawn(runtime.execPath, args, { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  let fullGcs = 0
  let lastFullGc = ''
  let stoppedAt
  const output = []
  child.stderr.on('data', (chunk) => output.push(String(chunk)))
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    running.delete(child)
    resolve({ code, signal, at: performance.now() })
  }))
  const port = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const gc = /Mark-Compact[^\d]*([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/.exec(line)
      if (gc) {
        fullGcs += 1
        lastFullGc = `${gc[3]} MB live of ${gc[4]} MB committed`
      }
      else if (/gateway stopped/.test(line)) stoppedAt = performance.now()
      else output.push(`${line}\n`)
      const match = LISTENING.exec(line)
      if (match) resolve(Number(match[1]))
    })
    void exited.then(({ code, signal }) => reject(new Error(`${label}: gateway exited (${code ?? signal}) before listening\n${output.join('')}`)))
  })
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined)
    await response?.arrayBuffer()
    if (response?.status === 200) break
  }
  return { child, port, exited, healthyMs: performance.now() - started, fullGcs: () => fullGcs, lastFullGc: () => lastFullGc, stoppedAt: () => stoppedAt }
}

async function stopGateway(gateway) {
  const signalled = performance.now()
  gateway.child.kill('SIGTERM')
  const timer = setTimeout(() => gateway.child.kill('SIGKILL'), 15_000)
  const { code, signal, at } = await gateway.exited
  clearTimeout(timer)
  const stoppedAt = gateway.stoppedAt()
  return { code, signal, exitMs: at - signalled, afterStoppedMs: stoppedAt === undefined ? undefined : at - stoppedAt }
}

async function openClient(port, client, counter) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/`)
  const pending = new Map()
  const runs = new Map()
  let closedEarly = false
  let closing = false
  socket.on('message', (data) => {
    counter.bytes += data.length
    const frame = JSON.parse(String(data))
    if (frame.type === 'res') pending.get(frame.id)?.(frame)
    else if (frame.event === 'presence') counter.presence += 1
    else if (frame.event === 'chat' && frame.payload.state !== 'delta') runs.get(frame.payload.runId)?.(frame.payload)
  })
  socket.on('close', () => {
    if (!closing) closedEarly = true
  })
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  let nextId = 0
  const request = (method, params) => new Promise((resolve) => {
    const id = String(++nextId)
    pending.set(id, (frame) => {
      pending.delete(id)
      resolve(frame)
    })
    socket.send(JSON.stringify({ type: 'req', id, method, params }))
  })
  const hello = await request('connect', { minProtocol: 3, maxProtocol: 3, client, role: 'operator', scopes: ['operator.admin'], auth: { token: TOKEN } })
  if (!hello.ok) throw new Error(`connect failed: ${JSON.stringify(hello.error)}`)
  return {
    async chat(sessionKey, runId) {
      const sentAt = performance.now()
      const settled = new Promise((resolve) => runs.set(runId, resolve))
      const ack = await request('chat.send', { sessionKey, message: 'hello there', idempotencyKey: runId })
      const ackMs = performance.now() - sentAt
      if (!ack.ok) return { ackMs, ok: false }
      const final = await Promise.race([settled, delay(30_000).then(() => ({ state: 'timeout' }))])
      runs.delete(runId)
      return { ackMs, finalMs: performance.now() - sentAt, ok: final.state === 'final' }
    },
    closedEarly: () => closedEarly,
    close() {
      closing = true
      if (socket.readyState === WebSocket.CLOSED) return Promise.resolve()
      const closed = new Promise((resolve) => socket.once('close', resolve))
      socket.close()
      return closed
    },
  }
}

// A fake Anthropic Messages API: each reply streams 8 short text deltas 10 ms apart, like a brief model answer.
function startFakeAnthropic() {
  const sse = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', async () => {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.write(sse('message_start', { type: 'message_start', message: { id: 'msg_bench', type: 'message', role: 'assistant', model: 'claude-opus-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } }))
      response.write(sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }))
      for (let index = 0; index < 8; index++) {
        await delay(10)
        response.write(sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `word ${index} of a short streamed reply. ` } }))
      }
      response.write(sse('content_block_stop', { type: 'content_block_stop', index: 0 }))
      response.write(sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 40 } }))
      response.end(sse('message_stop', { type: 'message_stop' }))
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })))
}

// The [env] table of fly.toml (NODE_OPTIONS, MALLOC_ARENA_MAX, …) minus the state dir, which each run sets itself.
function readFlyEnv() {
  const toml = readFileSync(join(ROOT, 'fly.toml'), 'utf8')
  const table = /^\[env\]\s*$([\s\S]*?)(?=^\[)/m.exec(toml)
  if (!table) throw new Error('fly.toml has no [env] table')
  const env = {}
  for (const match of table[1].matchAll(/^\s*([A-Z0-9_]+)\s*=\s*"([^"]*)"/gm)) env[match[1]] = match[2]
  delete env.CLAWDBOT_STATE_DIR
  if (process.env.BENCH_NODE_OPTIONS !== undefined) env.NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS
  if (!env.NODE_OPTIONS) throw new Error('fly.toml has no NODE_OPTIONS in [env]')
  return env
}

function readProcMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status)[1])
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM'), anonKb: field('RssAnon'), fileKb: field('RssFile') }
}

function directoryBytes(directory) {
  return readdirSync(directory).reduce((total, name) => {
    const path = join(directory, name)
    const stats = statSync(path)
    return total + (stats.isDirectory() ? directoryBytes(path) : stats.size)
  }, 0)
}

function readLoadAverage() {
  return existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : 'n/a'
}

function navigatorCpus() {
  return globalThis.navigator?.hardwareConcurrency ?? 'n/a'
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function pick(values, quantile) {
  if (values.length === 0) return 'n/a'
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * quantile))].toFixed(1)
}

function mb(bytes) {
  return (bytes / 1024 / 1024).toFixed(1)
}
