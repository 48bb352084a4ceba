// Gateway memory with 200 authenticated idle WebSocket clients, and the latency from a provider's streamed delta to a
// WebSocket client receiving it (p50/p99). Runs the built gateway (`npm run build` first):
//   node test/bench/ws-clients.mjs
// Deltas are spaced 200 ms apart, above the UI's 150 ms delta throttle, so the figure is the pipeline's own latency.
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'

const CLIENTS = 200
const DELTAS = 100
const SPACING_MS = 200
const TOKEN = 'bench-token-123456'
const now = () => performance.timeOrigin + performance.now()
const sse = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`

// A fake Anthropic stream whose every delta carries the moment it was written.
const provider = createServer((request, response) => {
  request.resume()
  request.on('end', async () => {
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    response.write(sse('message_start', { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'claude-opus-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } }))
    response.write(sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }))
    for (let index = 0; index < DELTAS; index++) {
      await new Promise((resolve) => setTimeout(resolve, SPACING_MS))
      response.write(sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `<${now().toFixed(3)}>` } }))
    }
    response.write(sse('content_block_stop', { type: 'content_block_stop', index: 0 }))
    response.write(sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: DELTAS } }))
    response.end(sse('message_stop', { type: 'message_stop' }))
  })
})
await new Promise((resolve) => provider.listen(0, '127.0.0.1', resolve))

const stateDir = mkdtempSync(join(tmpdir(), 'bench-ws-'))
const gateway = spawn(process.execPath, ['dist/index.js', 'gateway', '--allow-unconfigured', '--port', '0'], {
  env: { PATH: process.env.PATH, HOME: stateDir, TMPDIR: stateDir, CLAWDBOT_STATE_DIR: stateDir, CLAWDBOT_GATEWAY_TOKEN: TOKEN, ANTHROPIC_API_KEY: 'sk-ant-bench', ANTHROPIC_BASE_URL: `http://127.0.0.1:${provider.address().port}` },
  stdio: ['ignore', 'pipe', 'inherit'],
})
const port = await new Promise((resolve) => {
  let buffer = ''
  gateway.stdout.on('data', (chunk) => {
    buffer += chunk
    const match = /listening on ws:\/\/127\.0\.0\.1:(\d+) \(PID/.exec(buffer)
    if (match) resolve(Number(match[1]))
  })
})
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${gateway.pid}/status`, 'utf8'))[1]) / 1024

async function openClient() {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/`)
  const pending = new Map()
  const listeners = []
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data))
    if (frame.type === 'res') pending.get(frame.id)?.(frame)
    for (const listener of listeners) listener(frame)
  })
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject) })
  let next = 0
  const request = (method, params) => new Promise((resolve) => { const id = String(++next); pending.set(id, resolve); socket.send(JSON.stringify({ type: 'req', id, method, params })) })
  const hello = await request('connect', { minProtocol: 3, maxProtocol: 3, client: { id: 'bench', version: '1', platform: 'node', mode: 'webchat' }, role: 'operator', scopes: ['operator.admin'], auth: { token: TOKEN } })
  if (!hello.ok) throw new Error(`connect failed: ${JSON.stringify(hello.error)}`)
  return { socket, request, listeners }
}

const baseline = rssMb()
const clients = []
for (let index = 0; index < CLIENTS; index++) clients.push(await openClient())
await new Promise((resolve) => setTimeout(resolve, 3_000))
global.gc?.()
const withClients = rssMb()
console.log(`gateway RSS: ${baseline.toFixed(1)} MB idle, ${withClients.toFixed(1)} MB with ${CLIENTS} authenticated idle clients (+${((withClients - baseline) * 1024 / CLIENTS).toFixed(1)} KB per client)`)

const watcher = clients[0]
const latencies = []
let lastSeen = ''
const finished = new Promise((resolve) => {
  watcher.listeners.push((frame) => {
    if (frame.type !== 'event' || frame.event !== 'chat') return
    if (frame.payload.state === 'delta') {
      const text = frame.payload.message.content[0].text
      const fresh = text.slice(lastSeen.length)
      lastSeen = text
      const stamps = [...fresh.matchAll(/<([\d.]+)>/g)].map((match) => Number(match[1]))
      if (stamps.length > 0) latencies.push(now() - stamps[stamps.length - 1])
    } else resolve(frame.payload.state)
  })
})
await watcher.request('chat.send', { sessionKey: 'main', message: 'stream please', idempotencyKey: 'bench-run' })
const state = await finished
latencies.sort((a, b) => a - b)
const pick = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]
console.log(`delta latency provider → client (${latencies.length} deltas, run ${state}): p50 ${pick(0.5).toFixed(2)} ms, p99 ${pick(0.99).toFixed(2)} ms`)

for (const client of clients) client.socket.close()
gateway.kill('SIGTERM')
provider.close()
