import type { AppDeps } from '../deps.js'
import type { McpServerConfig } from '../config/schema-mcp.js'
import type { AgentTool, ToolSource } from '../tools/agent-tool.js'
import { ToolError } from '../tools/agent-tool.js'
import { McpServerConnection, type McpServerStatus } from './mcp-server-connection.js'
import { passesToolFilter, toMcpToolNames } from './mcp-tool-names.js'
import { toMcpToolResult } from './to-mcp-tool-result.js'

/** Upstream's default `mcp.sessionIdleTtlMs`. */
const DEFAULT_IDLE_TTL_MS = 10 * 60_000
/** How long a turn waits for a server's first connection before going on without its tools. */
const FIRST_CONNECT_WAIT_MS = 5_000
/** Tool descriptions are model context; a server must not fill it. */
const MAX_DESCRIPTION_CHARS = 2_000

/** MCP servers as a tool source, plus what health and the UI need. */
export interface McpToolSource extends ToolSource {
  /** Connects every enabled server now (logging why one cannot), so the first turn does not wait. */
  start(): Promise<void>
  /** Ends every session (`DELETE`) and stops reconnecting. */
  stop(): Promise<void>
  status(): McpServerStatus[]
  /** The same after a server added moments ago has had its bounded first chance to connect. */
  settledStatus(): Promise<McpServerStatus[]>
}

/** How the source gets its fetch: the network-guarded one, or the direct one for `allowPrivateNetwork` entries. */
export interface McpFetchPolicy {
  guarded: typeof fetch
  direct: typeof fetch
}

/**
 * Creates the MCP tool source over `mcp.servers` in the live config. Connections follow config edits on their own:
 * every `list` (each run) and `status` call reconciles them with the current config, connecting new servers,
 * closing removed ones and reconnecting changed ones, with no restart. A server that is down only loses its tools.
 */
export function createMcpToolSource(deps: AppDeps, fetchPolicy: McpFetchPolicy): McpToolSource {
  const logger = deps.logger.child('mcp')
  const connections = new Map<string, { fingerprint: string; connection: McpServerConnection }>()

  const sync = (): McpServerConnection[] => {
    const mcp = deps.state.config.mcp
    const servers = mcp?.servers ?? {}
    const idleTtlMs = mcp?.sessionIdleTtlMs ?? DEFAULT_IDLE_TTL_MS
    for (const [name, entry] of connections) {
      if (!(name in servers)) {
        connections.delete(name)
        void entry.connection.close()
        logger.info(`${name}: removed from the config; disconnected`)
      }
    }
    for (const [name, settings] of Object.entries(servers)) {
      const fingerprint = JSON.stringify([settings, idleTtlMs])
      const existing = connections.get(name)
      if (existing?.fingerprint === fingerprint) continue
      if (existing !== undefined) void existing.connection.close()
      const connection = new McpServerConnection(name, settings, connectionDeps(settings), { idleTtlMs })
      connections.set(name, { fingerprint, connection })
      if (settings.enabled !== false) void connection.connect().catch(() => undefined)
    }
    return [...connections.values()].map((entry) => entry.connection)
  }

  const connectionDeps = (settings: McpServerConfig) => ({
    fetch: settings.allowPrivateNetwork === true ? fetchPolicy.direct : fetchPolicy.guarded,
    scheduler: deps.scheduler,
    now: deps.now,
    logger,
    version: deps.version,
  })

  /** Waits a bounded time for a server that has never connected yet (a server just added through the UI). */
  const settle = async (connection: McpServerConnection): Promise<void> => {
    if (connection.status().state !== 'connecting' || connection.status().connectedAt !== undefined) return
    let cancel: () => void = () => undefined
    const timeout = new Promise<void>((resolve) => (cancel = deps.scheduler.after(FIRST_CONNECT_WAIT_MS, resolve)))
    await Promise.race([connection.connect().catch(() => undefined), timeout])
    cancel()
  }

  return {
    id: 'mcp',
    async list() {
      const active = sync().filter((connection) => connection.settings.enabled !== false)
      await Promise.all(active.map(settle))
      const taken = new Set<string>()
      const tools: AgentTool[] = []
      for (const connection of active) {
        const state = connection.status().state
        if (state !== 'connected' && state !== 'idle') continue
        const byName = new Map(connection.tools().map((tool) => [tool.name, tool]))
        for (const [exposed, raw] of toMcpToolNames(connection.name, [...byName.keys()], taken)) {
          if (!passesToolFilter(connection.settings.toolFilter, raw, exposed)) continue
          const tool = byName.get(raw)
          if (tool === undefined) continue
          tools.push({
            name: exposed,
            label: `${connection.name}: ${tool.title ?? tool.annotations?.title ?? raw}`,
            description: (tool.description ?? `Tool ${raw} from the ${connection.name} MCP server.`).slice(0, MAX_DESCRIPTION_CHARS),
            parameters: toObjectSchema(tool.inputSchema),
            group: 'bundle-mcp',
            async execute(args, context) {
              try {
                return toMcpToolResult(await connection.callTool(raw, args, context.signal))
              } catch (error) {
                if (context.signal.aborted) throw error
                const message = error instanceof Error ? error.message : String(error)
                throw new ToolError(`MCP server "${connection.name}" failed to run ${raw}: ${message.replace(/^\[mcp\] [^:]+: /, '')}`)
              }
            },
          })
        }
      }
      return tools
    },
    async start() {
      const active = sync().filter((connection) => connection.settings.enabled !== false)
      await Promise.all(active.map((connection) => connection.connect().catch(() => undefined)))
      for (const connection of sync()) {
        if (connection.settings.enabled === false) logger.info(`${connection.name}: disabled by config`)
      }
    },
    async stop() {
      const open = [...connections.values()]
      connections.clear()
      await Promise.all(open.map((entry) => entry.connection.close()))
    },
    status: () => sync().map((connection) => connection.status()),
    async settledStatus() {
      const all = sync()
      await Promise.all(all.filter((connection) => connection.settings.enabled !== false).map(settle))
      return all.map((connection) => connection.status())
    },
  }
}

/** Input schemas go to providers as JSON Schema objects; a server that sends none gets an empty object schema. */
function toObjectSchema(schema: unknown): Record<string, unknown> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { type: 'object', properties: {} }
  const object = schema as Record<string, unknown>
  return object.type === 'object' ? object : { ...object, type: 'object' }
}
