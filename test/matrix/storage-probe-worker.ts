// A test-only worker: runs the Durable Object storage driver inside workerd and exposes its calls over fetch, so the
// shared storage conformance suite (run from Node) exercises the driver against real SQLite-backed object storage.
import { DurableObject } from 'cloudflare:workers'
import { durableObjectDriver } from '../../src/runtime/workers/durable-object-driver.js'
import type { DurableObjectNamespace, DurableObjectState } from '../../src/runtime/workers/workers-types.js'

type Encoded = null | string | number | boolean | { bytes: string } | Encoded[]

export class StorageProbe extends DurableObject<unknown> {
  readonly #driver: Record<string, (...args: unknown[]) => unknown>

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    this.#driver = durableObjectDriver({ storage: ctx.storage }) as unknown as Record<string, (...args: unknown[]) => unknown>
  }

  async fetch(request: Request): Promise<Response> {
    const { op, args } = (await request.json()) as { op: string; args: Encoded[] }
    try {
      const result = await this.#driver[op]!(...args.map(decode))
      return Response.json({ result: encode(result) })
    } catch (error) {
      return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 })
    }
  }
}

export default {
  fetch(request: Request, env: { PROBE: DurableObjectNamespace }) {
    const store = new URL(request.url).searchParams.get('store') ?? 'default'
    return env.PROBE.get(env.PROBE.idFromName(store)).fetch(request)
  },
}

function encode(value: unknown): Encoded {
  if (value instanceof Uint8Array) {
    let binary = ''
    for (let offset = 0; offset < value.length; offset += 0x8000) binary += String.fromCharCode(...value.subarray(offset, offset + 0x8000))
    return { bytes: btoa(binary) }
  }
  if (Array.isArray(value)) return value.map(encode)
  return (value ?? null) as Encoded
}

function decode(value: Encoded): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Uint8Array.from(atob(value.bytes), (char) => char.charCodeAt(0))
  return value
}
