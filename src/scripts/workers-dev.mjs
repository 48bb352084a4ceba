#!/usr/bin/env node
// `npm run workers:dev -- --port <p> [--var NAME:VALUE …]`: serves the Worker and its gateway object locally in
// workerd through `wrangler dev`, offline and without a Cloudflare account. Builds the Control UI first if needed.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, writeWorkersConfig } from './workers-config.mjs'

if (!existsSync(join(ROOT, 'src/ui-assets/assets.generated.js'))) {
  const built = spawnSync('npm', ['run', 'build:ui'], { cwd: ROOT, stdio: 'inherit' })
  if (built.status !== 0) process.exit(built.status ?? 1)
}
const config = writeWorkersConfig('dev')
const wrangler = join(ROOT, 'node_modules/.bin/wrangler')
const args = process.argv.slice(2)
// Object storage stays in one place however the config path is spelled; `--persist-to` on the command line wins.
const persist = args.includes('--persist-to') ? [] : ['--persist-to', join(ROOT, '.wrangler/state')]
const child = spawn(wrangler, ['dev', '-c', config, '--ip', '127.0.0.1', ...persist, ...args], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
