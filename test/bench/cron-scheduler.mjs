// Cron scheduler overhead and wake-up accuracy on the built gateway (`npm run build` first):
//   node test/bench/cron-scheduler.mjs
// 1. Memory: RSS of a freshly started gateway with an empty store and with the 1,000 jobs loaded (every job is an
//    `every` job due in hours, so nothing runs), and the size of jobs.json.
// 2. Tick cost: CPU the gateway burns over 10 s idle with 1,000 armed jobs (one timer, so it should be ~0), the
//    latency of cron.list and cron.add against 1,000 jobs (each add rewrites jobs.json, as upstream does), and the
//    time from a due job's start to its finish among 1,000 (mostly the store write).
// 3. Wake-up accuracy: 30 one-shot main-session jobs (system events with wakeMode next-heartbeat, which finish at
//    once without a model) due 1–4 s ahead; lateness = `started.runAtMs − atMs` from the `cron` events, p50/p99/max.
// Timings depend on machine load; say so when quoting them.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'

const JOBS = 1_000
const WAKE_JOBS = 30
const TOKEN = 'bench-token-123456'
const stateDir = mkdtempSync(join(tmpdir(), 'bench-cron-'))
function startGateway() {
  const child = spawn(process.execPath, ['dist/index.js', 'gateway', '--allow-unconfigured', '--port', '0'], {
    env: { PATH: process.env.PATH, HOME: stateDir, TMPDIR: stateDir, CLAWDBOT_STATE_DIR: stateDir, CLAWDBOT_GATEWAY_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  process.on('exit', () => child.kill('SIGKILL'))
  const port = new Promise((resolve) => {
    let buffer = ''
    child.stdout.on('data', (chunk) => {
      buffer += chunk
      const match = /listening on ws:\/\/127\.0\.0\.1:(\d+) \(PID/.exec(buffer)
      if (match) resolve(Number(match[1]))
    })
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return { child, port, exited }
}
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024
// Steady-state memory: a fresh gateway 2 s after start, so garbage from filling the store does not count.
async function settledRss() {
  const started = startGateway()
  await started.port
  await new Promise((resolve) => setTimeout(resolve, 2_000))
  const rss = rssOf(started.child.pid)
  started.child.kill('SIGTERM')
  await started.exited
  return rss
}
const rssEmpty = await settledRss()
const { child: gateway, port: portPromise } = startGateway()
const port = await portPromise
const cpuMs = () => {
  const fields = readFileSync(`/proc/${gateway.pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
}
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]

const socket = new WebSocket(`ws://127.0.0.1:${port}/`)
const pending = new Map()
const events = []
let next = 0
socket.on('message', (data) => {
  const frame = JSON.parse(String(data))
  if (frame.type === 'res') pending.get(frame.id)?.(frame)
  if (frame.type === 'event' && frame.event === 'cron') events.push({ ...frame.payload, receivedAt: Date.now() })
})
await new Promise((resolve) => socket.once('open', resolve))
const request = (method, params = {}) =>
  new Promise((resolve, reject) => {
    const id = `b${++next}`
    pending.set(id, (frame) => (frame.ok ? resolve(frame.payload) : reject(new Error(`${method}: ${frame.error.message}`))))
    socket.send(JSON.stringify({ type: 'req', id, method, params }))
  })
await request('connect', { minProtocol: 3, maxProtocol: 3, client: { id: 'bench', version: '1', platform: 'node', mode: 'cli' }, role: 'operator', scopes: ['operator.admin'], caps: [], auth: { token: TOKEN } })

const addTimes = []
for (let index = 0; index < JOBS; index += 1) {
  const started = performance.now()
  await request('cron.add', { name: `job ${index}`, schedule: { kind: 'every', everyMs: 3_600_000 + index * 1_000 }, payload: { kind: 'systemEvent', text: `note ${index}` } })
  addTimes.push(performance.now() - started)
}
const storeBytes = statSync(join(stateDir, 'cron', 'jobs.json')).size

const cpuStart = cpuMs()
await new Promise((resolve) => setTimeout(resolve, 10_000))
const idleCpu = cpuMs() - cpuStart

const listTimes = []
for (let index = 0; index < 20; index += 1) {
  const started = performance.now()
  await request('cron.list', { includeDisabled: true })
  listTimes.push(performance.now() - started)
}

// Wake-up accuracy: one-shots due 1–4 s from now, spread out.
const base = Date.now() + 1_000
const due = new Map()
for (let index = 0; index < WAKE_JOBS; index += 1) {
  const atMs = base + Math.round((index * 3_000) / WAKE_JOBS)
  const job = await request('cron.add', { name: `wake ${index}`, schedule: { kind: 'at', atMs }, wakeMode: 'next-heartbeat', payload: { kind: 'systemEvent', text: `wake ${index}` } })
  due.set(job.id, atMs)
}
await new Promise((resolve) => setTimeout(resolve, 6_000))
const lateness = []
const runCost = []
for (const [jobId, atMs] of due) {
  const started = events.find((event) => event.jobId === jobId && event.action === 'started')
  const finished = events.find((event) => event.jobId === jobId && event.action === 'finished')
  if (started) lateness.push(started.runAtMs - atMs)
  if (finished) runCost.push(finished.durationMs)
}

socket.close()
gateway.kill('SIGTERM')
await new Promise((resolve) => gateway.once('exit', resolve))
const rssLoaded = await settledRss()

const fmt = (value) => value.toFixed(1)
console.log(`cron scheduler with ${JOBS} jobs (machine load affects timings)`)
console.log(`  memory: RSS 2 s after start ${fmt(rssEmpty)} MB with no jobs, ${fmt(rssLoaded)} MB with ${JOBS + WAKE_JOBS} jobs loaded (+${fmt(rssLoaded - rssEmpty)} MB); jobs.json ${fmt(storeBytes / 1024)} KB`)
console.log(`  idle: ${fmt(idleCpu)} ms CPU over 10 s with ${JOBS} armed jobs (one timer)`)
console.log(`  cron.add at 0..${JOBS} jobs: p50 ${fmt(percentile(addTimes, 50))} ms, p99 ${fmt(percentile(addTimes, 99))} ms, last 100 p50 ${fmt(percentile(addTimes.slice(-100), 50))} ms`)
console.log(`  cron.list (${JOBS} jobs): p50 ${fmt(percentile(listTimes, 50))} ms, p99 ${fmt(percentile(listTimes, 99))} ms`)
console.log(`  due run among ${JOBS + WAKE_JOBS} jobs (start -> finished, incl. store write): p50 ${percentile(runCost, 50)} ms, max ${Math.max(...runCost)} ms`)
console.log(`  wake-up lateness (${lateness.length}/${WAKE_JOBS} ran): p50 ${percentile(lateness, 50)} ms, p99 ${percentile(lateness, 99)} ms, max ${Math.max(...lateness)} ms`)
if (lateness.length !== WAKE_JOBS) process.exit(1)
