import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import type { AppDeps } from '../../src/deps.js'
import { createLogger } from '../../src/logging/logger.js'
import { LogRing } from '../../src/logging/log-ring.js'
import type { LogRecord } from '../../src/logging/log-record.js'
import { parseConfigText } from '../../src/config/load-config.js'
import type { GatewayState } from '../../src/gateway/gateway-state.js'
import { VERSION } from '../../src/version.js'
import { createNodeScheduler } from '../../src/runtime/node/node-scheduler.js'

export const TEST_TOKEN = 'test-gateway-token'

/** Deps for `createApp` in tests: memory storage, a fixed clock, captured log records, a ready gateway. */
export async function makeTestDeps(
  options: { configText?: string; now?: number; state?: Partial<GatewayState>; env?: Record<string, string>; files?: Record<string, string> } = {},
) {
  const loaded = await parseConfigText(options.configText ?? '{}', '/state/clawdbot.json', { readText: async () => undefined, env: { ...options.env }, homeDir: '/home/test' })
  if (!loaded.ok) throw new Error(`test config invalid: ${JSON.stringify(loaded.issues)}`)
  let now = options.now ?? 1_800_000_000_000
  const records: LogRecord[] = []
  const logRing = new LogRing()
  const state: GatewayState = {
    phase: 'ready',
    startedAt: now - 5_000,
    config: loaded.config,
    configPath: '/state/clawdbot.json',
    configExists: true,
    stateDir: '/state',
    auth: { mode: 'token', token: TEST_TOKEN, generated: false },
    listening: ['127.0.0.1:0'],
    ...options.state,
  }
  const background: Promise<unknown>[] = []
  const files: Record<string, string> = { ...options.files }
  const deps: AppDeps = {
    version: VERSION,
    now: () => now,
    // Real timers; tests that need fake time install vitest's fake timers, which these calls go through.
    scheduler: createNodeScheduler(),
    logger: createLogger({ now: () => now, sink: (record) => records.push(record), ring: logRing, secrets: () => [TEST_TOKEN] }),
    logRing,
    storage: createStorage({ driver: memoryDriver() }),
    state,
    fetch: () => Promise.reject(new Error('tests must not reach the network')),
    env: { ...options.env },
    readTextFile: async (path) => files[path],
    background: { waitUntil: (promise) => void background.push(promise) },
    writeConfigFile: async (path, text) => void (files[path] = text),
    // The same validate-then-swap the Node reloader does, minus the file watcher.
    reloadConfig: async () => {
      const result = await parseConfigText(files[state.configPath] ?? '{}', state.configPath, { readText: async (path) => files[path], env: {}, homeDir: '/home/test' })
      if (!result.ok) return { ok: false, message: `config reload skipped (invalid config): ${result.issues.map((issue) => issue.message).join(', ')}` }
      state.config = result.config
      return { ok: true, message: 'applied' }
    },
  }
  return { deps, records, background, files, advance: (milliseconds: number) => void (now += milliseconds) }
}
