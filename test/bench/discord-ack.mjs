// Discord interaction ack latency (p50/p99) at 200 signed interactions per second while a slow model (5 s per reply)
// keeps maxConcurrent saturated. Runs the built gateway (`npm run build` first): node test/bench/discord-ack.mjs
import { spawn } from 'node:child_process'
import { createServer, Agent, request as httpRequest } from 'node:http'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const RATE = 200
const SECONDS = 10
const MODEL_DELAY_MS = 5_000
const APP_ID = '800000000000000001'
const hex = (bytes) => Buffer.from(bytes).toString('hex')

const keys = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])
const publicKey = hex(await crypto.subtle.exportKey('raw', keys.publicKey))
const json = (response, status, body) => { response.writeHead(status, { 'content-type': 'application/json' }); response.end(JSON.stringify(body)) }

// Just enough of Discord's REST API for start-up and replies.
const discord = createServer((incoming, response) => {
  incoming.resume()
  incoming.on('end', () => {
    const path = incoming.url.replace(/^\/api\/v10/, '')
    if (path === '/users/@me') return json(response, 200, { id: '900000000000000001', username: 'bench-bot', bot: true })
    if (path === '/oauth2/applications/@me') return json(response, 200, { id: APP_ID, verify_key: publicKey, name: 'Bench' })
    if (incoming.method === 'PUT') return json(response, 200, [])
    return json(response, 200, { id: '1' })
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
await Promise.all([discord, anthropic].map((server) => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))))

const stateDir = mkdtempSync(join(tmpdir(), 'bench-discord-'))
writeFileSync(join(stateDir, 'clawdbot.json'), JSON.stringify({ gateway: { mode: 'local' }, channels: { discord: { groupPolicy: 'open' } }, agents: { defaults: { maxConcurrent: 4 } } }))
const gateway = spawn(process.execPath, ['dist/index.js', 'gateway', '--port', '0'], {
  env: {
    PATH: process.env.PATH, HOME: stateDir, TMPDIR: stateDir, CLAWDBOT_STATE_DIR: stateDir, CLAWDBOT_GATEWAY_TOKEN: 'bench-token-1',
    DISCORD_BOT_TOKEN: 'bench-bot-token', DISCORD_API_BASE_URL: `http://127.0.0.1:${discord.address().port}/api/v10`,
    ANTHROPIC_API_KEY: 'sk-ant-bench', ANTHROPIC_BASE_URL: `http://127.0.0.1:${anthropic.address().port}`,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
})
let output = ''
const port = await new Promise((resolve) => gateway.stdout.on('data', (chunk) => {
  output += chunk
  const match = /listening on ws:\/\/127\.0\.0\.1:(\d+) \(PID/.exec(output)
  if (match && output.includes('logged in to discord')) resolve(Number(match[1]))
}))

const agent = new Agent({ keepAlive: true, maxSockets: 64 })
const post = (path, headers, body) => new Promise((resolve, reject) => {
  const outgoing = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers, agent }, (incoming) => {
    let text = ''
    incoming.setEncoding('utf8')
    incoming.on('data', (chunk) => (text += chunk))
    incoming.on('end', () => resolve({ statusCode: incoming.statusCode, text }))
  })
  outgoing.on('error', reject)
  outgoing.end(body)
})
let sequence = 0
async function interact() {
  const index = sequence++
  const body = JSON.stringify({
    id: String(1_000_000_000 + index), application_id: APP_ID, token: `token-${index}`, version: 1, type: 2,
    data: { id: '1', name: 'ask', type: 1, options: [{ name: 'prompt', type: 3, value: `question ${index}` }] },
    guild_id: '700000000000000001', channel_id: String(500_000_000_000_000_000n + BigInt(index % 50)),
    channel: { id: String(500_000_000_000_000_000n + BigInt(index % 50)), name: `room-${index % 50}`, type: 0 },
    member: { user: { id: String(600_000_000_000_000_000n + BigInt(index % 20)), username: `user${index % 20}` } },
    context: 0, authorizing_integration_owners: { 0: '700000000000000001' },
  })
  const timestamp = String(Math.floor(Date.now() / 1000))
  const signature = hex(await crypto.subtle.sign('Ed25519', keys.privateKey, new TextEncoder().encode(timestamp + body)))
  const started = performance.now()
  const response = await post('/discord/interactions', { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp }, body)
  const text = response.text
  const elapsed = performance.now() - started
  if (response.statusCode !== 200 || JSON.parse(text).type !== 5) throw new Error(`unexpected ack ${response.statusCode}: ${text.slice(0, 200)}`)
  return elapsed
}

for (let warm = 0; warm < 20; warm++) await interact()
const latencies = []
const pending = []
const startedAt = performance.now()
for (let index = 0; index < RATE * SECONDS; index++) {
  const due = startedAt + (index * 1000) / RATE
  const wait = due - performance.now()
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  pending.push(interact().then((elapsed) => latencies.push(elapsed)))
}
await Promise.all(pending)
const achieved = latencies.length / ((performance.now() - startedAt) / 1000)
latencies.sort((a, b) => a - b)
const pick = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]
console.log(`interaction ack latency at ${RATE}/s (${latencies.length} interactions, ${achieved.toFixed(0)}/s achieved, model 5 s per reply, maxConcurrent 4): p50 ${pick(0.5).toFixed(2)} ms, p99 ${pick(0.99).toFixed(2)} ms, max ${latencies.at(-1).toFixed(2)} ms`)
gateway.kill('SIGKILL')
discord.close(); anthropic.close(); agent.destroy()
process.exit(0)
