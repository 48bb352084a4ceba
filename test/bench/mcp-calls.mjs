// Figures for MCP servers as a tool source: (1) the latency one tool call adds over loopback, ours (tool source →
// SDK client → Streamable HTTP) against the bare SDK client on the same server; (2) memory per connected server.
// Run: node --expose-gc test/bench/mcp-calls.mjs (it bundles the source modules it needs itself)
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { importSource } from './import-source.mjs'

const modules = await importSource({
  source: 'src/mcp/mcp-tool-source.ts',
  config: 'src/config/load-config.ts',
  logger: 'src/logging/logger.ts',
  scheduler: 'src/runtime/node/node-scheduler.ts',
  server: 'test/helpers/mcp-test-server.ts',
})
const { createMcpToolSource } = modules.source
const { parseConfigText } = modules.config
const { createLogger } = modules.logger
const { createNodeScheduler } = modules.scheduler
const { startMcpTestServer } = modules.server

const CALLS = 1_000
const WARMUP = 100
const SERVERS = 50

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
const summary = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b)
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) }
}
const ms = (value) => `${value.toFixed(3)} ms`
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`
const settle = async () => {
  for (let round = 0; round < 3; round += 1) {
    globalThis.gc?.()
    await new Promise((resolve) => setImmediate(resolve))
  }
}

async function depsFor(servers) {
  const text = JSON.stringify({ mcp: { servers } })
  const loaded = await parseConfigText(text, '/bench/clawdbot.json', { readText: async () => undefined, env: {}, homeDir: '/bench' })
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues))
  return {
    version: 'bench',
    now: Date.now,
    scheduler: createNodeScheduler(),
    logger: createLogger({ now: Date.now, sink: () => {} }),
    storage: createStorage({ driver: memoryDriver() }),
    state: { phase: 'ready', config: loaded.config },
    env: {},
    fetch: globalThis.fetch.bind(globalThis),
  }
}

async function timeCalls(call) {
  for (let index = 0; index < WARMUP; index += 1) await call(index)
  const samples = []
  for (let index = 0; index < CALLS; index += 1) {
    const started = performance.now()
    await call(index)
    samples.push(performance.now() - started)
  }
  return summary(samples)
}

const server = await startMcpTestServer()
try {
  // (1) The bare SDK client: the floor any MCP client pays on loopback.
  const bare = new Client({ name: 'bench', version: '1' })
  const transport = new StreamableHTTPClientTransport(new URL(server.url))
  await bare.connect(transport)
  const sdk = await timeCalls((index) => bare.callTool({ name: 'echo', arguments: { text: `hello ${index}` } }))
  await transport.terminateSession()
  await bare.close()

  const deps = await depsFor({ notes: { url: server.url, allowPrivateNetwork: true } })
  const source = createMcpToolSource(deps, { guarded: deps.fetch, direct: deps.fetch })
  const tools = await source.list({})
  const echo = tools.find((tool) => tool.name === 'notes__echo')
  // A fresh signal per call, as each run has its own.
  const ours = await timeCalls((index) => echo.execute({ text: `hello ${index}` }, { toolCallId: `c${index}`, signal: new AbortController().signal, onUpdate: () => {} }))
  await source.stop()

  console.log(`MCP call over loopback (${CALLS} calls after ${WARMUP} warm-up, echo tool)`)
  console.log(`  bare SDK client:        p50 ${ms(sdk.p50)}, p99 ${ms(sdk.p99)}`)
  console.log(`  through the tool source: p50 ${ms(ours.p50)}, p99 ${ms(ours.p99)}`)
  console.log(`  added by the gateway:    p50 ${ms(ours.p50 - sdk.p50)}, p99 ${ms(ours.p99 - sdk.p99)}`)

  // (2) Memory: one connected session per configured server (all on the same test server, each its own session).
  await settle()
  const before = process.memoryUsage()
  const servers = Object.fromEntries(Array.from({ length: SERVERS }, (_, index) => [`s${index}`, { url: server.url, allowPrivateNetwork: true }]))
  const many = createMcpToolSource(await depsFor(servers), { guarded: globalThis.fetch, direct: globalThis.fetch })
  await many.start()
  const connected = many.status().filter((status) => status.state === 'connected').length
  await settle()
  const after = process.memoryUsage()
  console.log(`Memory with ${connected} connected MCP servers (4 tools each)`)
  console.log(`  heap per server: ${mb((after.heapUsed - before.heapUsed) / connected)}, RSS per server: ${mb((after.rss - before.rss) / connected)}`)
  await many.stop()
} finally {
  await server.close()
}
process.exit(0)
