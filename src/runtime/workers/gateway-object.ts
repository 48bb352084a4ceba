import { DurableObject } from 'cloudflare:workers'
import { createStorage } from 'unstorage'
import { AppError, toErrorBody } from '../../errors.js'
import { durableObjectDriver } from './durable-object-driver.js'
import { createHibernatingWebSockets, type HibernatingWebSockets } from './hibernating-web-sockets.js'
import { createStoredFiles } from './stored-files.js'
import { toEnvironment, type WorkerEnv } from './worker-env.js'
import { createWorkersGateway, WORKERS_CONFIG_PATH, type WorkersGateway } from './workers-gateway.js'
import { createAlarmClock, createWorkersScheduler, type AlarmClock } from './workers-scheduler.js'
import type { DurableObjectState, HibernatableSocket } from './workers-types.js'

// While a run is in flight the object re-arms an alarm this often, so it is not evicted as idle mid-reply.
const KEEP_ALIVE_MS = 20_000

/**
 * The gateway "process" on Workers: one SQLite-backed Durable Object per deployment builds the deps once and serves
 * the unchanged `createApp`, so lanes, queues, the connection registry and dedupe see every request. Its alarm only
 * has to start the gateway: durable work re-arms itself from storage, and in-flight runs keep the alarm armed.
 */
export class GatewayObject extends DurableObject<WorkerEnv> {
  #gateway?: Promise<WorkersGateway>
  readonly #sockets: HibernatingWebSockets
  readonly #alarms: AlarmClock
  readonly #work = new Set<Promise<unknown>>()
  #origin?: string

  constructor(ctx: DurableObjectState, env: WorkerEnv) {
    super(ctx, env)
    this.#sockets = createHibernatingWebSockets(ctx)
    this.#alarms = createAlarmClock(ctx.storage, (error) => console.error(`[workers] could not set the alarm: ${String(error)}`))
  }

  async fetch(request: Request): Promise<Response> {
    // The front Worker forwards the original request, so its origin is the deployment's public URL.
    this.#origin = new URL(request.url).origin
    const gateway = await this.#start()
    if (!gateway.ok) {
      console.error(gateway.message)
      return Response.json(toErrorBody(new AppError('config_invalid', gateway.message)), { status: 500 })
    }
    return gateway.app.fetch(request)
  }

  /** Wakes the gateway (cron trigger, alarm); its start-up work (Discord registration) runs from here. */
  async wake(): Promise<boolean> {
    return (await this.#start()).ok
  }

  async alarm(): Promise<void> {
    await this.#start()
    if (this.#work.size > 0) this.#alarms.wakeAt(Date.now() + KEEP_ALIVE_MS)
  }

  webSocketMessage(socket: HibernatableSocket, message: string | ArrayBuffer): void {
    this.#sockets.message(socket, message)
  }

  webSocketClose(socket: HibernatableSocket, code: number, reason: string): void {
    this.#sockets.close(socket, code, reason)
  }

  webSocketError(socket: HibernatableSocket, error: unknown): void {
    this.#sockets.error(socket, error)
  }

  #start(): Promise<WorkersGateway> {
    // A start that threw (storage hiccup) is tried again by the next request instead of failing every request.
    this.#gateway ??= this.#build().catch((error: unknown) => {
      this.#gateway = undefined
      throw error
    })
    return this.#gateway
  }

  async #build(): Promise<WorkersGateway> {
    const env = toEnvironment(this.env)
    const storage = this.ctx.storage
    return createWorkersGateway({
      env,
      storage: createStorage({ driver: durableObjectDriver({ storage }) }),
      files: createStoredFiles(storage.sql, (path) => (path === WORKERS_CONFIG_PATH ? env.CLAWDBOT_CONFIG : undefined)),
      scheduler: createWorkersScheduler(this.#alarms),
      background: { waitUntil: (promise) => this.#track(promise) },
      upgradeWebSocket: this.#sockets.upgradeWebSocket,
      publicUrl: () => this.#origin,
    })
  }

  // Runs (Discord replies, chat turns) outlive the request that started them; the alarm keeps the object around.
  #track(promise: Promise<unknown>): void {
    const settled = promise.catch(() => undefined).finally(() => this.#work.delete(settled))
    this.#work.add(settled)
    this.#alarms.wakeAt(Date.now() + KEEP_ALIVE_MS)
  }
}
