import { z } from 'zod'
import { getDefaultAgentId } from '../config/config-lookup.js'
import { buildHealthReport } from '../http/health-report.js'
import { defineMethod, NoParams, type MethodDefinition } from './methods.js'
import { tailLogs } from './tail-logs.js'

const LogsTailParams = z.looseObject({
  cursor: z.number().int().nonnegative().optional(),
  limit: z.number().int().positive().max(5_000).default(500),
  maxBytes: z.number().int().positive().max(1_000_000).default(250_000),
})

/**
 * Overview and Debug methods (spec §4.4, §4.5, §4.7) and the quiet stubs the UI polls on every tab (§4.0, §5):
 * correctly shaped empty answers keep the UI free of red error pills.
 */
export function createSystemMethods(): MethodDefinition[] {
  return [
    // `clawdbot health --verbose` sends `probe: true`: check the channels' credentials now instead of reporting the last check.
    defineMethod('health', z.looseObject({ probe: z.boolean().optional() }), ({ deps, channelStatus }, params) => buildHealthReport(deps, channelStatus, { probe: params.probe })),
    defineMethod('status', NoParams, ({ deps, connections }) => {
      const now = deps.now()
      return {
        ok: deps.state.phase === 'ready',
        ts: now,
        version: deps.version,
        phase: deps.state.phase,
        uptimeMs: now - deps.state.startedAt,
        defaultAgentId: getDefaultAgentId(deps.state.config),
        configPath: deps.state.configPath,
        listening: deps.state.listening,
        connections: connections.size,
        ...(deps.state.lastReload ? { lastReload: deps.state.lastReload } : {}),
      }
    }),
    // A bare array, not an object: the Instances view maps over the result directly.
    defineMethod('system-presence', NoParams, ({ connections }) => connections.presence()),
    // Stand-ins for a control surface without automation; createApp replaces them with the real cron and heartbeat.
    defineMethod('last-heartbeat', NoParams, () => null),
    defineMethod('logs.tail', LogsTailParams, ({ deps }, params) => tailLogs(deps.logRing, params)),
    defineMethod('node.list', NoParams, () => ({ nodes: [] })),
    defineMethod('device.pair.list', NoParams, () => ({ pending: [], paired: [] })),
    defineMethod('cron.status', NoParams, () => ({ enabled: false, jobs: 0 })),
  ]
}
