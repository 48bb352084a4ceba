import { readFileSync } from 'node:fs'
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
 * on 127.0.0.1 port 0, with the config as the `CLAWDBOT_CONFIG` var and the env as vars.
 */
export async function startWorkerdTarget(options: { token: string; config?: string; env: Record<string, string> }): Promise<GatewayTarget> {
  const logs: string[] = []
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    modules: true,
    scriptPath: inject('workerBundlePath'),
    ...workerSettings(),
    durableObjects: { GATEWAY: { className: 'GatewayObject', useSQLite: true } },
    bindings: { CLAWDBOT_GATEWAY_TOKEN: options.token, ...(options.config === undefined ? {} : { CLAWDBOT_CONFIG: options.config }), ...options.env },
    cf: false,
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.on('data', (chunk: Buffer) => logs.push(chunk.toString()))
      stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString()))
    },
  })
  const url = await mf.ready
  return toTarget('workerd', url.origin, options.token, () => logs.join(''), () => mf.dispose())
}
