import { createFrontWorker } from './front-worker.js'
import { GATEWAY_OBJECT_NAME, type WorkerEnv } from './worker-env.js'
import type { WorkerExecutionContext } from './workers-types.js'

export { GatewayObject } from './gateway-object.js'

const front = createFrontWorker()

/**
 * The Cloudflare Workers entry: the front Worker's `fetch`, and a `scheduled` handler (cron trigger) that wakes the
 * gateway object so its start-up work runs even before the first request.
 */
export default {
  fetch: (request: Request, env: WorkerEnv, ctx: WorkerExecutionContext) => front.fetch(request, env, ctx as Parameters<typeof front.fetch>[2]),
  scheduled(_controller: unknown, env: WorkerEnv, ctx: WorkerExecutionContext) {
    const stub = env.GATEWAY.get(env.GATEWAY.idFromName(GATEWAY_OBJECT_NAME)) as unknown as { wake(): Promise<boolean> }
    ctx.waitUntil(stub.wake())
  },
}
