import type { Hono } from 'hono'
import type { BackgroundWork } from '../../deps.js'
import type { GatewayState } from '../../gateway/gateway-state.js'
import type { Logger } from '../../logging/logger.js'
import type { ResolvedBind } from '../../gateway/resolve-bind.js'
import { startListeners, type Listeners } from './start-listeners.js'

/**
 * Owns the HTTP listeners of the running gateway: start, in-process restart on a new port or bind, and drain on
 * shutdown. Post-response work registered through `background` is awaited before the process exits.
 */
export class GatewayServer {
  readonly background: BackgroundWork
  #pending = new Set<Promise<unknown>>()
  #listeners?: Listeners
  #app?: Hono

  constructor(
    private readonly state: GatewayState,
    private readonly logger: Logger,
  ) {
    this.background = {
      waitUntil: (promise) => {
        const tracked = promise.then(
          () => undefined,
          (error: unknown) => this.logger.error(`background work failed: ${String(error)}`),
        )
        this.#pending.add(tracked)
        void tracked.finally(() => this.#pending.delete(tracked))
      },
    }
  }

  setApp(app: Hono): void {
    this.#app = app
  }

  get port(): number | undefined {
    return this.#listeners?.port
  }

  /** Listens and logs upstream's `listening on ws://…` lines. */
  async listen(bind: ResolvedBind, port: number): Promise<number> {
    const app = this.#app
    if (!app) throw new Error('GatewayServer.listen called before setApp')
    const context = { waitUntil: this.background.waitUntil, passThroughOnException: () => {}, props: {} }
    this.#listeners = await startListeners((request, env) => app.fetch(request, env, context), bind.addresses, port)
    const actual = this.#listeners.port
    this.state.listening = this.#listeners.servers.map(({ address }) => `${address.display}:${actual}`)
    this.#listeners.servers.forEach(({ address }, index) => {
      const suffix = index === 0 ? ` (PID ${process.pid})` : ''
      this.logger.info(`listening on ws://${address.display}:${actual}${suffix}`)
    })
    return actual
  }

  /** Closes the current listeners (letting open requests finish) and listens again with new settings. */
  async restart(bind: ResolvedBind, port: number): Promise<number> {
    this.state.phase = 'starting'
    await this.#listeners?.close()
    this.#listeners = undefined
    try {
      return await this.listen(bind, port)
    } finally {
      this.state.phase = 'ready'
    }
  }

  /** Stops accepting, then waits for open requests and background work to finish. */
  async drain(): Promise<void> {
    await this.#listeners?.close()
    this.#listeners = undefined
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending])
  }
}
