// Workers bundle size and cold start in workerd (part of `npm run bench`).
//
// 1. Bundle: `wrangler deploy --dry-run --outdir` from wrangler.toml.example (what `wrangler deploy` uploads), raw
//    and gzip size. Cloudflare's limits apply to the compressed size: 3 MB on Free, 10 MB on Paid.
// 2. Cold start, RUNS times, each in a fresh workerd (Miniflare, port 0, empty Durable Object storage):
//    - workerd ready: Miniflare constructor → listening (process start, not something users pay for on Cloudflare);
//    - front /health: first request, answered by the front Worker alone (isolate start + module evaluation);
//    - gateway object: first /api/health, which starts the Durable Object (SQLite tables, config load, createApp).

import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { gzipSync } from 'node:zlib'
import { Miniflare } from 'miniflare'
import { ROOT, writeWorkersConfig } from '../../src/scripts/workers-config.mjs'

const RUNS = 5
const TOKEN = 'bench-token-0123456789'

const config = writeWorkersConfig('bench')
const outdir = join(ROOT, '.wrangler/bench/bundle')
const built = spawnSync(join(ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outdir, '-c', config], {
  cwd: ROOT,
  encoding: 'utf8',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG: 'warn' },
})
if (built.status !== 0) {
  console.error(`bench failed: wrangler could not bundle the worker\n${built.stdout}\n${built.stderr}`)
  process.exit(1)
}
const bundle = readFileSync(join(outdir, 'index.js'))
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`
console.log(`workers bundle: ${kib(bundle.length)} raw, ${kib(gzipSync(bundle).length)} gzip (limit 3 MB gzip on Free, 10 MB on Paid)`)

const toml = readFileSync(config, 'utf8')
const compatibilityDate = /^compatibility_date = "([^"]+)"/m.exec(toml)[1]
const compatibilityFlags = [...(/^compatibility_flags = \[([^\]]*)\]/m.exec(toml)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((match) => match[1])

const samples = { ready: [], front: [], object: [] }
for (let run = 0; run < RUNS; run++) {
  const started = performance.now()
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    modules: true,
    scriptPath: join(outdir, 'index.js'),
    compatibilityDate,
    compatibilityFlags,
    durableObjects: { GATEWAY: { className: 'GatewayObject', useSQLite: true } },
    bindings: { CLAWDBOT_GATEWAY_TOKEN: TOKEN, CLAWDBOT_CONFIG: '{ gateway: { mode: "local" } }' },
    cf: false,
  })
  try {
    const url = await mf.ready
    const ready = performance.now()
    const health = await fetch(new URL('/health', url))
    if (health.status !== 200) throw new Error(`/health answered ${health.status}`)
    const front = performance.now()
    const report = await fetch(new URL('/api/health', url), { headers: { authorization: `Bearer ${TOKEN}` } })
    if (report.status !== 200) throw new Error(`/api/health answered ${report.status}: ${await report.text()}`)
    const object = performance.now()
    samples.ready.push(ready - started)
    samples.front.push(front - ready)
    samples.object.push(object - front)
  } finally {
    await mf.dispose()
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const show = (values) => `median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`
console.log(`workerd cold start over ${RUNS} runs:`)
console.log(`  workerd ready (local process start): ${show(samples.ready)}`)
console.log(`  first /health (front Worker isolate): ${show(samples.front)}`)
console.log(`  first /api/health (gateway object start + createApp): ${show(samples.object)}`)
