import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { Tool } from '@modelcontextprotocol/sdk/types.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { Scheduler } from '../deps.js'
import type { Logger } from '../logging/logger.js'
import type { McpServerConfig } from '../config/schema-mcp.js'

/** Defaults where the entry gives no timeout. */
export const MCP_CONNECT_TIMEOUT_MS = 10_000
export const MCP_REQUEST_TIMEOUT_MS = 60_000
/** Waits between reconnect attempts; the last one repeats. */
const RECONNECT_DELAYS_MS = [1_000, 2_000, 5_000, 15_000, 30_000, 60_000]

/** What `/api/health`, the Overview and `doctor` show for one server. Never contains header values. */
export interface McpServerStatus {
  name: string
  /** Origin and path only: a query string may carry a credential. */
  url: string
  transport: 'streamable-http' | 'sse'
  state: 'connecting' | 'connected' | 'idle' | 'error' | 'disabled'
  toolCount: number
  lastError?: string
  /** How long the last successful connect took. */
  connectLatencyMs?: number
  /** How long the last tool call took, end to end. */
  lastCallLatencyMs?: number
  connectedAt?: number
}

/** The capabilities one connection needs. */
export interface McpConnectionDeps {
  /** The fetch the transport uses: the network-guarded one unless the entry allows private networks. */
  fetch: typeof fetch
  scheduler: Scheduler
  now: () => number
  logger: Logger
  version: string
}

/**
 * One remote MCP server: an SDK client over Streamable HTTP (or SSE), its tool list kept fresh through
 * `notifications/tools/list_changed`, reconnection with backoff after a failure, and a session that is closed with
 * `DELETE` on shutdown or after `sessionIdleTtlMs` without use (the tool list is kept, and the next call reconnects).
 */
export class McpServerConnection {
  readonly name: string
  readonly settings: McpServerConfig
  readonly #deps: McpConnectionDeps
  readonly #idleTtlMs: number
  #client: Client | undefined
  #transport: Transport | undefined
  #connecting: Promise<void> | undefined
  #tools: Tool[] = []
  #attempts = 0
  #cancelRetry: (() => void) | undefined
  #cancelIdle: (() => void) | undefined
  #closed = false
  #status: Omit<McpServerStatus, 'name' | 'url' | 'transport' | 'toolCount'>

  constructor(name: string, settings: McpServerConfig, deps: McpConnectionDeps, options: { idleTtlMs: number }) {
    this.name = name
    this.settings = settings
    this.#deps = deps
    this.#idleTtlMs = options.idleTtlMs
    this.#status = { state: settings.enabled === false ? 'disabled' : 'idle' }
  }

  /** The server's tools as last listed (kept while the session is idle or reconnecting). */
  tools(): readonly Tool[] {
    return this.#tools
  }

  status(): McpServerStatus {
    return { name: this.name, url: displayUrl(this.settings.url ?? ''), transport: transportOf(this.settings), toolCount: this.#tools.length, ...this.#status }
  }

  /** Connects if not connected; resolves when connected, rejects with the reason when this attempt fails. */
  connect(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`[mcp] ${this.name}: connection closed`))
    if (this.#client !== undefined) return Promise.resolve()
    this.#connecting ??= this.#connectOnce().finally(() => {
      this.#connecting = undefined
    })
    return this.#connecting
  }

  /**
   * Calls one tool. A call that fails because the session is gone (the server restarted, the network dropped) is
   * retried once on a fresh session; a tool's own error comes back as an `isError` result, not an exception.
   */
  async callTool(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown>> {
    const startedAt = this.#deps.now()
    for (let attempt = 1; ; attempt += 1) {
      await this.connect()
      const client = this.#client as Client
      try {
        const result = await client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: requestTimeoutMs(this.settings), resetTimeoutOnProgress: true })
        this.#status.lastCallLatencyMs = this.#deps.now() - startedAt
        this.#touch()
        return result as Record<string, unknown>
      } catch (error) {
        if (signal.aborted || attempt > 1 || !isSessionFailure(error)) throw error
        this.#deps.logger.warn(`${this.name}: session lost (${describe(error)}); reconnecting`)
        await this.#drop()
      }
    }
  }

  /** Ends the session (`DELETE`) and stops reconnecting. */
  async close(): Promise<void> {
    this.#closed = true
    this.#cancelRetry?.()
    this.#cancelIdle?.()
    await this.#drop()
  }

  async #connectOnce(): Promise<void> {
    this.#cancelRetry?.()
    this.#cancelRetry = undefined
    this.#status.state = 'connecting'
    const startedAt = this.#deps.now()
    const { Client, CfWorkerJsonSchemaValidator, ToolListChangedNotificationSchema } = await loadSdk()
    const client = new Client(
      { name: 'clawdbot-edge-gateway', version: this.#deps.version },
      // The cfworker validator compiles no code at run time, so the same client runs on Workers.
      { capabilities: {}, jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
    )
    const transport = await this.#createTransport()
    try {
      await client.connect(transport, { timeout: connectTimeoutMs(this.settings) })
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => void this.#refreshTools(client))
      this.#tools = await listAllTools(client, requestTimeoutMs(this.settings))
    } catch (error) {
      await transport.close().catch(() => undefined)
      this.#fail(error)
      throw new Error(`[mcp] ${this.name}: ${describe(error)}`, { cause: error })
    }
    if (this.#closed) {
      await transport.close().catch(() => undefined)
      return
    }
    this.#client = client
    this.#transport = transport
    // Set after connect: the SDK reports its own connect failures through the promise above.
    transport.onclose = () => {
      if (this.#transport !== transport) return
      this.#client = undefined
      this.#transport = undefined
      if (!this.#closed && this.#status.state === 'connected') this.#fail(new Error('connection closed by the server'))
    }
    this.#attempts = 0
    this.#status = { state: 'connected', connectLatencyMs: this.#deps.now() - startedAt, connectedAt: this.#deps.now(), lastCallLatencyMs: this.#status.lastCallLatencyMs }
    this.#deps.logger.info(`${this.name}: connected (${this.#tools.length} tools, ${this.#status.connectLatencyMs} ms)`)
    this.#touch()
  }

  async #createTransport(): Promise<Transport> {
    const { SSEClientTransport, StreamableHTTPClientTransport } = await loadSdk()
    const url = new URL(this.settings.url ?? '')
    const headers = Object.fromEntries(Object.entries(this.settings.headers ?? {}).map(([key, value]) => [key, String(value)]))
    if (transportOf(this.settings) === 'sse') return new SSEClientTransport(url, { fetch: this.#deps.fetch, requestInit: { headers } })
    return new StreamableHTTPClientTransport(url, {
      fetch: this.#deps.fetch,
      requestInit: { headers },
      // Our own reconnect loop owns retries; the SDK's would retry the standalone stream without telling us.
      reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1_000, maxReconnectionDelay: 1_000, reconnectionDelayGrowFactor: 1 },
    })
  }

  async #refreshTools(client: Client): Promise<void> {
    try {
      this.#tools = await listAllTools(client, requestTimeoutMs(this.settings))
      this.#deps.logger.info(`${this.name}: tool list changed (${this.#tools.length} tools)`)
    } catch (error) {
      this.#deps.logger.warn(`${this.name}: could not refresh the tool list: ${describe(error)}`)
    }
  }

  /** Records a failure and schedules the next attempt with backoff. */
  #fail(error: unknown): void {
    this.#status.state = 'error'
    this.#status.lastError = describe(error)
    const delayMs = RECONNECT_DELAYS_MS[Math.min(this.#attempts, RECONNECT_DELAYS_MS.length - 1)] as number
    this.#attempts += 1
    this.#deps.logger.warn(`${this.name}: ${this.#status.lastError}; retrying in ${Math.round(delayMs / 1000)} s`)
    if (this.#closed) return
    this.#cancelRetry?.()
    this.#cancelRetry = this.#deps.scheduler.after(delayMs, () => {
      this.#cancelRetry = undefined
      void this.connect().catch(() => undefined)
    })
  }

  /** Re-arms the idle timer: a session unused for `sessionIdleTtlMs` is closed, its tool list kept. */
  #touch(): void {
    this.#cancelIdle?.()
    if (this.#idleTtlMs <= 0) return
    this.#cancelIdle = this.#deps.scheduler.after(this.#idleTtlMs, () => {
      this.#cancelIdle = undefined
      void this.#drop().then(() => {
        if (!this.#closed) this.#status.state = 'idle'
      })
    })
  }

  /** Closes the current session, if any, ending it on the server with `DELETE` where the transport supports it. */
  async #drop(): Promise<void> {
    const transport = this.#transport
    this.#client = undefined
    this.#transport = undefined
    if (transport === undefined) return
    const { StreamableHTTPClientTransport } = await loadSdk()
    if (transport instanceof StreamableHTTPClientTransport) await transport.terminateSession().catch(() => undefined)
    await transport.close().catch(() => undefined)
  }
}

/**
 * The MCP SDK, imported on the first connection (the module loader caches it after that): a gateway without MCP
 * servers never pays its memory, since it is a separate chunk of the Node bundle.
 */
async function loadSdk() {
  const [client, streamable, sse, validation, types] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/client/sse.js'),
    import('@modelcontextprotocol/sdk/validation/cfworker'),
    import('@modelcontextprotocol/sdk/types.js'),
  ])
  return {
    Client: client.Client,
    StreamableHTTPClientTransport: streamable.StreamableHTTPClientTransport,
    SSEClientTransport: sse.SSEClientTransport,
    CfWorkerJsonSchemaValidator: validation.CfWorkerJsonSchemaValidator,
    ToolListChangedNotificationSchema: types.ToolListChangedNotificationSchema,
  }
}

async function listAllTools(client: Client, timeout: number): Promise<Tool[]> {
  const tools: Tool[] = []
  let cursor: string | undefined
  // A server that pages forever must not hold a turn: 20 pages is far beyond any real tool list.
  for (let page = 0; page < 20; page += 1) {
    const result = await client.listTools(cursor === undefined ? undefined : { cursor }, { timeout })
    tools.push(...result.tools)
    cursor = result.nextCursor
    if (cursor === undefined) break
  }
  return tools
}

/** `transport`, else `type` (`http` is Streamable HTTP), else Streamable HTTP. */
export function transportOf(settings: McpServerConfig): 'streamable-http' | 'sse' {
  if (settings.transport !== undefined) return settings.transport
  return settings.type === 'sse' ? 'sse' : 'streamable-http'
}

function connectTimeoutMs(settings: McpServerConfig): number {
  return settings.connectionTimeoutMs ?? (settings.connectTimeout !== undefined ? settings.connectTimeout * 1000 : MCP_CONNECT_TIMEOUT_MS)
}

function requestTimeoutMs(settings: McpServerConfig): number {
  return settings.requestTimeoutMs ?? (settings.timeout !== undefined ? settings.timeout * 1000 : MCP_REQUEST_TIMEOUT_MS)
}

/** A failure of the session or transport, as opposed to a JSON-RPC error the server answered with. */
function isSessionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (error.name === 'McpError') return /connection closed/i.test(error.message)
  return true
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${message}${cause}`.slice(0, 300)
}

/** Origin and path of a server URL, for status and logs. */
export function displayUrl(raw: string): string {
  try {
    const url = new URL(raw)
    return `${url.origin}${url.pathname}`
  } catch {
    return '<invalid url>'
  }
}
