import { afterAll, beforeAll, describe } from 'vitest'
import { startNodeTarget } from './node-target.js'
import { startWorkerdTarget } from './workerd-target.js'

/*
 * The runtime matrix: one suite definition, run once against the Node runtime (the real `node dist/index.js gateway`
 * on port 0) and once against the Workers runtime (the real worker bundle, built from wrangler.toml.example by the
 * matrix project's global setup, in workerd through Miniflare on port 0). Tests talk HTTP and WebSocket only, so
 * nothing in them knows which runtime answers.
 *
 * Adding a feature's cases (tools, cron, Telegram, hooks, MCP, …): create `test/matrix/<feature>.test.ts` and write
 *
 *   describeRuntimes('POST /hooks/wake', (runtime) => {
 *     const gateway = runtime.start(async () => ({ config: '{ hooks: { enabled: true } }', env: { … } }))
 *     it('wakes the agent', async () => {
 *       const response = await gateway().fetch('/hooks/wake', { method: 'POST', headers: gateway().auth })
 *       expect(response.status).toBe(200)
 *     })
 *   })
 *
 * Start fake servers (Discord, models) inside the `start` callback so their URLs can go into `env`; both runtimes get
 * the same config text (JSON5) and the same env. One gateway serves every test of the block, so use distinct
 * session keys per test. `gateway().restart()` kills the gateway and starts it again on the same storage, for
 * durability cases; put such tests last in their block. Every file under test/matrix/ runs in the `matrix` vitest
 * project, which needs `npm run build` first (the Node half runs dist/, and the worker bundle embeds the UI);
 * `npm test` does that.
 */

/** The runtimes every matrix suite runs on. */
export const RUNTIMES = ['node', 'workerd'] as const
export type RuntimeName = (typeof RUNTIMES)[number]

/** The gateway token every matrix gateway uses; `auth` is the matching header. */
export const MATRIX_TOKEN = 'matrix-gateway-token-0123456789'

/** What a suite gives both runtimes: the config file's text and the environment (vars on Workers). */
export interface TargetOptions {
  config?: string
  env?: Record<string, string>
}

/** A running gateway on one runtime. */
export interface GatewayTarget {
  runtime: RuntimeName
  /** `http://127.0.0.1:<port>` */
  baseUrl: string
  /** `ws://127.0.0.1:<port>/`, the control socket. */
  wsUrl: string
  /** `authorization: Bearer <MATRIX_TOKEN>` */
  auth: Record<string, string>
  fetch(path: string, init?: RequestInit): Promise<Response>
  /** Everything the gateway logged so far (for failure messages). */
  logs(): string
  /**
   * Ends the gateway abruptly (SIGKILL on Node; workerd disposed, which evicts the object) and starts it again on the
   * same storage, as a crash, a deploy or an eviction would. The port changes: read `baseUrl` again afterwards.
   */
  restart(): Promise<void>
  stop(): Promise<void>
}

/** Handed to each suite definition: which runtime it runs on and how to start the gateway for the block. */
export interface RuntimeContext {
  name: RuntimeName
  /** Starts one gateway before the block's tests and stops it after them; the result is read inside tests. */
  start(options: () => TargetOptions | Promise<TargetOptions>): () => GatewayTarget
}

/** Defines `suite` once and runs it on every runtime in `RUNTIMES`, as `<name> [node]` and `<name> [workerd]`. */
export function describeRuntimes(name: string, suite: (runtime: RuntimeContext) => void): void {
  for (const runtime of RUNTIMES) {
    describe(`${name} [${runtime}]`, () => {
      suite({
        name: runtime,
        start(options) {
          let target: GatewayTarget | undefined
          beforeAll(async () => {
            const resolved = await options()
            target = await (runtime === 'node' ? startNodeTarget : startWorkerdTarget)({ token: MATRIX_TOKEN, config: resolved.config, env: resolved.env ?? {} })
          }, 60_000)
          afterAll(async () => {
            await target?.stop()
          })
          return () => {
            if (target === undefined) throw new Error(`the ${runtime} gateway did not start; see the beforeAll error`)
            return target
          }
        },
      })
    })
  }
}

/** A running gateway process as the starters see it; `toTarget` wraps it and swaps it on restart. */
export interface RunningGateway {
  baseUrl: string
  logs(): string
  kill(): Promise<void>
}

/** Shared by the two starters: a target over `start`, which starts the gateway on the same storage every time. */
export async function toTarget(
  runtime: RuntimeName,
  token: string,
  start: () => Promise<RunningGateway>,
  cleanup: () => Promise<void>,
): Promise<GatewayTarget> {
  let current = await start()
  const earlier: string[] = []
  return {
    runtime,
    get baseUrl() {
      return current.baseUrl
    },
    get wsUrl() {
      return `${current.baseUrl.replace(/^http/, 'ws')}/`
    },
    auth: { authorization: `Bearer ${token}` },
    fetch: (path, init) => fetch(`${current.baseUrl}${path}`, init),
    logs: () => [...earlier, current.logs()].join('\n'),
    async restart() {
      await current.kill()
      earlier.push(current.logs())
      current = await start()
    },
    async stop() {
      await current.kill()
      await cleanup()
    },
  }
}
