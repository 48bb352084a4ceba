import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { Miniflare } from 'miniflare'
import { inject } from 'vitest'
import { toTarget, type GatewayTarget } from './runtimes.js'

/** Compatibility settings of the worker, read from the wrangler config the bundle was built from. */
export function workerSettings(): { compatibilityDate: string; compatibilityFlags: string[] } {
  const text = readFileSync(inject('workersConfigPath'), 'utf8')
  const date = /^compatibility_date = "([^"]+)"/m.exec(text)?.[1]
  const flags = /^compatibility_flags = \[([^\]]*)\]/m.exec(text)?.[1]
  if (date === undefined) throw new Error('wrangler.toml.example has no compatibility_date')
  return { compatibilityDate: date, compatibilityFlags: [...(flags ?? '').matchAll(/"([^"]+)"/g)].map((match) => match[1]!) }
}

/**
 * Starts the worker bundle (front Worker + gateway Durable Object with SQLite storage) in workerd through Miniflare,
 * on 127.0.0.1 port 0, with the config as the `CLAWDBOT_CONFIG` var and the env as vars. Object storage lives in a
 * temp dir, so a restart (a new workerd on the same dir) finds it again, as a redeployed or evicted object would.
 */
export async function startWorkerdTarget(options: { token: string; config?: string; env: Record<string, string> }): Promise<GatewayTarget> {
  const persist = mkdtempSync(join(tmpdir(), 'gw-workerd-'))
  const start = async () => {
    const logs: string[] = []
    const mf = new Miniflare({
      host: '127.0.0.1',
      port: 0,
      modules: true,
      scriptPath: inject('workerBundlePath'),
      ...workerSettings(),
      durableObjects: { GATEWAY: { className: 'GatewayObject', useSQLite: true } },
      durableObjectsPersist: persist,
      bindings: { CLAWDBOT_GATEWAY_TOKEN: options.token, ...(options.config === undefined ? {} : { CLAWDBOT_CONFIG: options.config }), ...options.env },
      cf: false,
      // Lets a test fire the cron trigger with GET /cdn-cgi/handler/scheduled, as `wrangler dev` does.
      unsafeTriggerHandlers: true,
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        stdout.on('data', (chunk: Buffer) => logs.push(chunk.toString()))
        stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString()))
      },
    })
    const url = await mf.ready
    return { baseUrl: url.origin, logs: () => logs.join(''), kill: () => mf.dispose() }
  }
  return toTarget('workerd', options.token, start, async () => rmSync(persist, { recursive: true, force: true }))
}
