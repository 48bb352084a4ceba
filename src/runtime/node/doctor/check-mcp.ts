import { McpServerConnection, displayUrl } from '../../../mcp/mcp-server-connection.js'
import { createGuardedFetch } from '../../../tools/guarded-fetch.js'
import { createLogger } from '../../../logging/logger.js'
import { VERSION } from '../../../version.js'
import { createNodeNetworkAccess } from '../node-network-access.js'
import { createNodeScheduler } from '../node-scheduler.js'
import type { DoctorCheck, DoctorFinding } from './doctor-check.js'

/**
 * MCP servers: connects to each enabled `mcp.servers` entry as the gateway would (same network guard, same headers)
 * and lists its tools. A server that cannot be reached is a warning, not a failure: the gateway runs without its tools.
 */
export const checkMcp: DoctorCheck = async (context) => {
  if (!context.loaded.ok) return []
  const servers = context.loaded.config.mcp?.servers ?? {}
  const guarded = createGuardedFetch(createNodeNetworkAccess())
  const findings: DoctorFinding[] = []
  for (const [name, settings] of Object.entries(servers)) {
    if (settings.enabled === false) {
      findings.push({ check: 'mcp', status: 'ok', message: `${name}: disabled by config` })
      continue
    }
    const connection = new McpServerConnection(
      name,
      settings,
      {
        fetch: settings.allowPrivateNetwork === true ? context.fetch : guarded,
        scheduler: createNodeScheduler(),
        now: Date.now,
        logger: createLogger({ now: Date.now, sink: () => {} }),
        version: VERSION,
      },
      { idleTtlMs: 0 },
    )
    try {
      await connection.connect()
      const status = connection.status()
      findings.push({ check: 'mcp', status: 'ok', message: `${name}: connected to ${status.url}, ${status.toolCount} tools (${status.connectLatencyMs} ms)` })
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^\[mcp\] [^:]+: /, '') : String(error)
      findings.push({ check: 'mcp', status: 'warn', message: `${name}: cannot connect to ${displayUrl(settings.url ?? '')}: ${reason}; its tools are not offered until it answers` })
    } finally {
      await connection.close()
    }
  }
  return findings
}
