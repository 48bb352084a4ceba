// Telegram webhook ack latency (p50/p99) at 50 updates per second while a slow model (5 s per reply) keeps
// maxConcurrent saturated, then the memory each active chat costs (RSS growth over 1,000 chats with a turn in
// flight). Runs the built gateway (`npm run build` first): node test/bench/telegram-ack.mjs
import { spawn } from 'node:child_process'
import { createServer, Agent, request as httpRequest } from 'node:http'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const RATE = 50
const SECONDS = 10
const MODEL_DELAY_MS = 5_000
const MEMORY_CHATS = 1_000
const TOKEN = '123456:bench-token'
const SECRET = 'bench_secret-1'
const json = (response, status, body) => { response.writeHead(status, { 'content-type': 'application/json' }); response.end(JSON.stringify(body)) }

// Just enough of the Bot API for start-up, typing and replies.
let sent = 0
const telegram = createServer((incoming, response) => {
  incoming.resume()
  incoming.on('end', () => {
    const method = incoming.url.split('/').pop().toLowerCase()
    if (method === 'getme') return json(response, 200, { ok: true, result: { id: 7000, is_bot: true, first_name: 'Bench', username: 'bench_bot' } })
    if (method === 'sendmessage') sent += 1
    return json(response, 200, { ok: true, result: method === 'sendmessage' ? { message_id: sent, date: 0, chat: { id: 1, type: 'private' } } : true })
  })
})
// A model that takes five seconds to answer each request.
const anthropic = createServer((incoming, response) => {
  incoming.resume()
  incoming.on('end', () => setTimeout(() => {
    const sse = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    response.end([
      sse('message_start', { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'claude-opus-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } }),
      sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'slow answer' } }),
      sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
      sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }),
      sse('message_stop', { type: 'message_stop' }),
    ].join(''))
  }, MODEL_DELAY_MS))
})
await Promise.all([telegram, anthropic].map((server) => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))))

const stateDir = mkdtempSync(join(tmpdir(), 'bench-telegram-'))
writeFileSync(join(stateDir, 'clawdbot.json'), JSON.stringify({
  gateway: { mode: 'local' },
  channels: { telegram: { dmPolicy: 'open', allowFrom: ['*'], webhookSecret: SECRET } },
  agents: { defaults: { maxConcurrent: 4 } },
}))
const gateway = spawn(process.execPath, ['dist/index.js', 'gateway', '--port', '0'], {
  env: {
    PATH: process.env.PATH, HOME: stateDir, TMPDIR: stateDir, CLAWDBOT_STATE_DIR: stateDir, CLAWDBOT_GATEWAY_TOKEN: 'bench-token-1',
    TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_BASE: `http://127.0.0.1:${telegram.address().port}`, CLAWDBOT_PUBLIC_URL: 'https://bench.example',
    ANTHROPIC_API_KEY: 'sk-ant-bench', ANTHROPIC_BASE_URL: `http://127.0.0.1:${anthropic.address().port}`,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
})
let output = ''
const port = await new Promise((resolve) => gateway.stdout.on('data', (chunk) => {
  output += chunk
  const match = /listening on ws:\/\/127\.0\.0\.1:(\d+) \(PID/.exec(output)
  if (match && output.includes('webhook listening on')) resolve(Number(match[1]))
}))

const agent = new Agent({ keepAlive: true, maxSockets: 64 })
const post = (body) => new Promise((resolve, reject) => {
  const outgoing = httpRequest({ host: '127.0.0.1', port, path: '/telegram-webhook', method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, agent }, (incoming) => {
    incoming.resume()
    incoming.on('end', () => resolve(incoming.statusCode))
  })
  outgoing.on('error', reject)
  outgoing.end(body)
})
let sequence = 0
async function deliver(chatId) {
  const index = sequence++
  const body = JSON.stringify({
    update_id: 100_000 + index,
    message: { message_id: index, date: 0, chat: { id: chatId, type: 'private', first_name: 'U' }, from: { id: chatId, is_bot: false, first_name: 'U' }, text: `question ${index}` },
  })
  const started = performance.now()
  const status = await post(body)
  if (status !== 200) throw new Error(`unexpected ack ${status}`)
  return performance.now() - started
}
const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${gateway.pid}/status`, 'utf8'))?.[1] ?? 0)

for (let warm = 0; warm < 20; warm++) await deliver(1 + (warm % 50))
const latencies = []
const pending = []
const startedAt = performance.now()
for (let index = 0; index < RATE * SECONDS; index++) {
  const due = startedAt + (index * 1000) / RATE
  const wait = due - performance.now()
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  pending.push(deliver(1 + (index % 50)).then((elapsed) => latencies.push(elapsed)))
}
await Promise.all(pending)
const achieved = latencies.length / ((performance.now() - startedAt) / 1000)
latencies.sort((a, b) => a - b)
const pick = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]
console.log(`telegram webhook ack latency at ${RATE}/s (${latencies.length} updates over 50 chats, ${achieved.toFixed(0)}/s achieved, model 5 s per reply, maxConcurrent 4): p50 ${pick(0.5).toFixed(2)} ms, p99 ${pick(0.99).toFixed(2)} ms, max ${latencies.at(-1).toFixed(2)} ms`)

// Memory per active chat: 1,000 new chats, each with a turn queued behind the saturated model.
const before = rssKb()
for (let chat = 0; chat < MEMORY_CHATS; chat += 50) await Promise.all(Array.from({ length: 50 }, (_, offset) => deliver(10_000 + chat + offset)))
await new Promise((resolve) => setTimeout(resolve, 1_000))
const after = rssKb()
console.log(`telegram memory per active chat: ${(((after - before) * 1024) / MEMORY_CHATS / 1024).toFixed(1)} KiB RSS (${MEMORY_CHATS} chats with a turn in flight or queued; RSS ${Math.round(before / 1024)} → ${Math.round(after / 1024)} MiB)`)
gateway.kill('SIGKILL')
telegram.close(); anthropic.close(); agent.destroy()
process.exit(0)
