import type { AppDeps } from '../deps.js'
import { getDefaultAgentId } from '../config/config-lookup.js'
import { buildHealthReport } from '../http/health-report.js'
import type { ConnectionRegistry } from './connections.js'
import { MAX_BUFFERED_BYTES, MAX_PAYLOAD_BYTES, PROTOCOL_VERSION } from './protocol.js'

/** The main session key is always `main` (config-and-runtime.md §3.2 forces `session.mainKey`). */
export const MAIN_KEY = 'main'

/** Limits advertised to the client in `hello-ok.policy`. */
export interface HelloPolicy {
  maxPayload: number
  maxBufferedBytes: number
  tickIntervalMs: number
}

/** Default agent and main session key; the UI rewrites its `"main"` alias with these (spec §6.1). */
export function buildSessionDefaults(deps: Pick<AppDeps, 'state'>) {
  const defaultAgentId = getDefaultAgentId(deps.state.config)
  return {
    defaultAgentId,
    mainKey: MAIN_KEY,
    mainSessionKey: `agent:${defaultAgentId}:${MAIN_KEY}`,
    scope: deps.state.config.session?.scope ?? 'per-sender',
  }
}

/** Builds the `hello-ok` payload of spec §3.5; never includes `auth`, so the UI stores no device token. */
export async function buildHelloOk(input: {
  deps: AppDeps
  connections: ConnectionRegistry
  connId: string
  methods: readonly string[]
  events: readonly string[]
  tickIntervalMs: number
}) {
  const { deps, connections } = input
  const policy: HelloPolicy = { maxPayload: MAX_PAYLOAD_BYTES, maxBufferedBytes: MAX_BUFFERED_BYTES, tickIntervalMs: input.tickIntervalMs }
  return {
    type: 'hello-ok' as const,
    protocol: PROTOCOL_VERSION,
    server: { version: deps.version, connId: input.connId },
    features: { methods: [...input.methods], events: [...input.events] },
    snapshot: {
      presence: connections.presence(),
      health: await healthSnapshot(deps),
      stateVersion: { presence: connections.presenceVersion, health: 1 },
      uptimeMs: deps.now() - deps.state.startedAt,
      configPath: deps.state.configPath,
      stateDir: deps.state.stateDir,
      sessionDefaults: buildSessionDefaults(deps),
      // The UI's Overview reads policy from inside the snapshot (an upstream bug), so it goes in both places.
      policy,
    },
    policy,
  }
}

async function healthSnapshot(deps: AppDeps): Promise<unknown> {
  try {
    return await buildHealthReport(deps)
  } catch (error) {
    // A broken health probe must not block connecting; the UI only shows this on the Debug tab.
    deps.logger.child('control').warn(`health snapshot failed during connect: ${String(error)}`)
    return { ok: false, ts: deps.now() }
  }
}
