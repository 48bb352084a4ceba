// Measures what the agent runtime adds per streamed delta: the same 5,000-delta Anthropic stream is consumed by the
// bare SDK and by a full runtime turn (events, cumulative text, transcript writes), and the difference is divided
// by the delta count. Run: node test/bench/delta-overhead.mjs
import { createServer } from 'node:http'
import Anthropic from '@anthropic-ai/sdk'
import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { importSource } from './import-source.mjs'

const modules = await importSource({
  runtime: 'src/agent/agent-runtime.ts',
  config: 'src/config/load-config.ts',
  logger: 'src/logging/logger.ts',
  ring: 'src/logging/log-ring.ts',
  scheduler: 'src/runtime/node/node-scheduler.ts',
})
const { createAgentRuntime } = modules.runtime
const { parseConfigText } = modules.config
const { createLogger } = modules.logger
const { LogRing } = modules.ring
const { createNodeScheduler } = modules.scheduler

const DELTAS = 5_000
const ROUNDS = 7

const sse = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
const body = [
  sse('message_start', { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'claude-opus-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }),
  sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  ...Array.from({ length: DELTAS }, (_, index) => sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `w${index} ` } })),
  sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
  sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: DELTAS } }),
  sse('message_stop', { type: 'message_stop' }),
].join('')

const server = createServer((request, response) => {
  request.resume()
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    response.end(body)
  })
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const baseURL = `http://127.0.0.1:${server.address().port}`

async function bareSdk() {
  const client = new Anthropic({ apiKey: 'sk-ant-bench', baseURL, maxRetries: 0 })
  const started = performance.now()
  const stream = await client.messages.create({ model: 'claude-opus-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }], stream: true })
  let text = ''
  for await (const event of stream) if (event.type === 'content_block_delta') text += event.delta.text
  return performance.now() - started
}

async function runtimeTurn() {
  const loaded = await parseConfigText('{}', '/bench/clawdbot.json', { readText: async () => undefined, env: {}, homeDir: '/bench' })
  const ring = new LogRing()
  const deps = {
    version: 'bench', now: Date.now, scheduler: createNodeScheduler(), logRing: ring, storage: createStorage({ driver: memoryDriver() }),
    logger: createLogger({ now: Date.now, sink: () => {}, ring }),
    state: { phase: 'ready', startedAt: Date.now(), config: loaded.config, configPath: '/bench/clawdbot.json', configExists: false, stateDir: '/bench', auth: { mode: 'token', token: 'x', generated: false }, listening: [] },
    fetch: globalThis.fetch.bind(globalThis), env: { ANTHROPIC_API_KEY: 'sk-ant-bench', ANTHROPIC_BASE_URL: baseURL },
    readTextFile: async () => undefined, background: { waitUntil: () => {} },
    writeConfigFile: async () => {}, reloadConfig: async () => ({ ok: true, message: '' }),
  }
  const runtime = createAgentRuntime(deps)
  let deltas = 0
  runtime.subscribe((event) => { if (event.type === 'run-delta') deltas++ })
  const started = performance.now()
  const outcome = await runtime.send({ agentId: 'main', sessionKey: 'agent:main:main', text: 'x', channel: 'webchat' }).done
  const elapsed = performance.now() - started
  if (outcome.kind !== 'completed' || deltas !== DELTAS) throw new Error(`bench run failed: ${JSON.stringify(outcome).slice(0, 200)} deltas=${deltas}`)
  return elapsed
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
await bareSdk()
await runtimeTurn()
const bare = []
const full = []
for (let round = 0; round < ROUNDS; round++) {
  bare.push(await bareSdk())
  full.push(await runtimeTurn())
}
const overheadMs = (median(full) - median(bare)) / DELTAS
console.log(`bare SDK stream of ${DELTAS} deltas: median ${median(bare).toFixed(1)} ms`)
console.log(`runtime turn with ${DELTAS} deltas: median ${median(full).toFixed(1)} ms`)
console.log(`runtime overhead per streamed delta: ${(overheadMs * 1000).toFixed(2)} µs`)
server.close()
