// Figures for the tool loop: (1) what one model → tool → model iteration costs beyond the model's own HTTP
// stream, (2) memory_search latency over 1,000 memory files, (3) RSS while a run fetches a 2 MiB page with
// web_fetch. Run: node test/bench/tool-loop.mjs
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
  network: 'src/runtime/node/node-network-access.ts',
  workspace: 'src/runtime/node/node-workspace-files.ts',
  memory: 'src/tools/memory-tools.ts',
  services: 'src/tools/tool-services.ts',
})
const { createAgentRuntime } = modules.runtime
const { parseConfigText } = modules.config
const { createLogger } = modules.logger
const { LogRing } = modules.ring
const { createNodeScheduler } = modules.scheduler
const { createNodeNetworkAccess } = modules.network
const { createNodeWorkspaceFiles } = modules.workspace
const { createMemorySearchTool } = modules.memory
const { createToolServices } = modules.services

const STEPS = 20
const ROUNDS = 7
const FILES = 1_000
const PAGE_BYTES = 2 * 1024 * 1024

const sse = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
const start = sse('message_start', { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'claude-opus-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } })
const toolUse = (id, name, input) =>
  [
    start,
    sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id, name, input: {} } }),
    sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(input) } }),
    sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
    sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 5 } }),
    sse('message_stop', { type: 'message_stop' }),
  ].join('')
const text = (value) =>
  [
    start,
    sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: value } }),
    sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
    sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } }),
    sse('message_stop', { type: 'message_stop' }),
  ].join('')

// The fake model calls `tool` until it has seen `steps` tool results, then answers.
let plan = { steps: 0, tool: 'noop', input: {} }
const model = createServer((request, response) => {
  let body = ''
  request.on('data', (chunk) => (body += chunk))
  request.on('end', () => {
    const results = (body.match(/"tool_result"/g) ?? []).length
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    response.end(results < plan.steps ? toolUse(`toolu_${results}`, plan.tool, plan.input) : text('done'))
  })
})
await new Promise((resolve) => model.listen(0, '127.0.0.1', resolve))
const baseURL = `http://127.0.0.1:${model.address().port}`

async function makeRuntime(extra = {}) {
  const loaded = await parseConfigText('{}', '/bench/clawdbot.json', { readText: async () => undefined, env: {}, homeDir: '/bench' })
  const ring = new LogRing()
  const deps = {
    version: 'bench', now: Date.now, scheduler: createNodeScheduler(), logRing: ring, storage: createStorage({ driver: memoryDriver() }),
    logger: createLogger({ now: Date.now, sink: () => {}, ring }),
    state: { phase: 'ready', startedAt: Date.now(), config: loaded.config, configPath: '/bench/clawdbot.json', configExists: false, stateDir: '/bench', auth: { mode: 'token', token: 'x', generated: false }, listening: [] },
    fetch: globalThis.fetch.bind(globalThis), env: { ANTHROPIC_API_KEY: 'sk-ant-bench', ANTHROPIC_BASE_URL: baseURL },
    readTextFile: async () => undefined, background: { waitUntil: () => {} },
    writeConfigFile: async () => {}, reloadConfig: async () => ({ ok: true, message: '' }),
    ...extra,
  }
  const runtime = createAgentRuntime(deps)
  runtime.tools.addSource({ id: 'bench', list: () => [{ name: 'noop', label: 'Noop', description: 'returns at once', parameters: { type: 'object', properties: {} }, execute: async () => ({ content: [{ type: 'text', text: 'ok' }] }) }] })
  return runtime
}

let session = 0
async function turn(runtime, steps) {
  plan = { steps, tool: 'noop', input: {} }
  const started = performance.now()
  const outcome = await runtime.send({ agentId: 'main', sessionKey: `agent:main:bench-${session++}`, text: 'go', channel: 'webchat' }).done
  if (outcome.kind !== 'completed') throw new Error(`bench turn failed: ${JSON.stringify(outcome).slice(0, 300)}`)
  return performance.now() - started
}

const client = new Anthropic({ apiKey: 'sk-ant-bench', baseURL, maxRetries: 0 })
async function bareToolRequest() {
  plan = { steps: 1, tool: 'noop', input: {} }
  const started = performance.now()
  const stream = await client.messages.create({ model: 'claude-opus-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }], stream: true })
  for await (const event of stream) void event
  return performance.now() - started
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

// (1) Loop overhead per iteration.
const runtime = await makeRuntime()
await turn(runtime, STEPS)
await bareToolRequest()
const zero = []
const many = []
const bare = []
for (let round = 0; round < ROUNDS; round++) {
  zero.push(await turn(runtime, 0))
  many.push(await turn(runtime, STEPS))
  bare.push(await bareToolRequest())
}
const perIteration = (median(many) - median(zero)) / STEPS
console.log(`turn without tools: median ${median(zero).toFixed(1)} ms; turn with ${STEPS} tool steps: median ${median(many).toFixed(1)} ms`)
console.log(`one tool iteration: ${perIteration.toFixed(2)} ms, of which the bare SDK model request is ${median(bare).toFixed(2)} ms`)
console.log(`tool-loop overhead per iteration (validation, events, transcript writes): ${(perIteration - median(bare)).toFixed(2)} ms`)

// (2) memory_search over 1,000 files.
const dir = mkdtempSync(join(tmpdir(), 'bench-memory-'))
const workspace = join(dir, 'workspace')
mkdirSync(join(workspace, 'memory'), { recursive: true })
const words = 'meeting project budget travel flight hotel dentist invoice garden recipe birthday concert train museum'.split(' ')
for (let index = 0; index < FILES; index++) {
  const lines = Array.from({ length: 30 }, (_, line) => `- ${words[(index + line) % words.length]} note ${index}-${line}: ${words[(index * 7 + line) % words.length]} details and more text here`)
  writeFileSync(join(workspace, 'memory', `2024-${String((index % 12) + 1).padStart(2, '0')}-${String(index).padStart(4, '0')}.md`), lines.join('\n'))
}
const ring = new LogRing()
const services = createToolServices({ env: {}, fetch, network: createNodeNetworkAccess(), now: Date.now, scheduler: createNodeScheduler(), logger: createLogger({ now: Date.now, sink: () => {}, ring }), workspaceFiles: createNodeWorkspaceFiles() })
const loaded = await parseConfigText('{}', '/bench/c.json', { readText: async () => undefined, env: {}, homeDir: '/bench' })
const search = createMemorySearchTool(services, { config: loaded.config, agentId: 'main', sessionKey: 'k', workspace, modelRef: 'anthropic/x', channel: 'webchat' })
const signal = new AbortController().signal
let began = performance.now()
const first = await search.execute({ query: 'dentist flight' }, { toolCallId: 'c', signal, onUpdate: () => {} })
const cold = performance.now() - began
const warm = []
for (let round = 0; round < ROUNDS; round++) {
  began = performance.now()
  await search.execute({ query: words[round] + ' invoice' }, { toolCallId: 'c', signal, onUpdate: () => {} })
  warm.push(performance.now() - began)
}
console.log(`memory_search over ${FILES} files (${first.details.results.length} hits): first ${cold.toFixed(1)} ms (reads and indexes), then median ${median(warm).toFixed(1)} ms`)
rmSync(dir, { recursive: true, force: true })

// (3) RSS during a run that fetches a 2 MiB page.
const paragraph = `<p>${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(20)}</p>\n`
const page = `<html><head><title>Big</title></head><body><article>${paragraph.repeat(Math.ceil(PAGE_BYTES / paragraph.length))}</article></body></html>`
const web = createServer((request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(page))
await new Promise((resolve) => web.listen(0, '127.0.0.1', resolve))
const fetchRuntime = await makeRuntime({ network: { ...createNodeNetworkAccess(), testPolicy: { allowPrivateAddresses: true, allowAnyPort: true } } })
globalThis.gc?.()
const before = process.memoryUsage().rss
let peak = before
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2)
plan = { steps: 1, tool: 'web_fetch', input: { url: `http://127.0.0.1:${web.address().port}/big` } }
const outcome = await fetchRuntime.send({ agentId: 'main', sessionKey: 'agent:main:fetch', text: 'read it', channel: 'webchat' }).done
clearInterval(sampler)
peak = Math.max(peak, process.memoryUsage().rss)
if (outcome.kind !== 'completed') throw new Error('fetch run failed')
console.log(`RSS during a run fetching a ${(page.length / 1048576).toFixed(1)} MiB page: ${(before / 1048576).toFixed(0)} MiB before, peak ${(peak / 1048576).toFixed(0)} MiB (+${((peak - before) / 1048576).toFixed(0)} MiB)`)
web.close()
model.close()
