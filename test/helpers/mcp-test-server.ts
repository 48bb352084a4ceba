import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { z } from 'zod'

/** A 1×1 transparent PNG, base64. */
export const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='

/** One HTTP request the server saw, for checking headers and DELETEs. */
export interface McpServerRequest {
  method: string
  authorization: string | undefined
  sessionId: string | undefined
}

export interface McpTestServer {
  /** The Streamable HTTP endpoint, `http://127.0.0.1:<port>/mcp`. */
  url: string
  requests: McpServerRequest[]
  /** Arguments of every `slow` call that has started; resolve `releaseSlow()` to let them finish. */
  slowStarted: number
  releaseSlow(): void
  /** Resolves once `count` slow calls have started. */
  waitForSlow(count?: number): Promise<void>
  /** Adds a tool to every live session (each sends `notifications/tools/list_changed`) and to later ones. */
  addTool(name: string): void
  /** Forgets every session, as a restarted server process would; the listener stays up on the same address. */
  restart(): Promise<void>
  close(): Promise<void>
}

/**
 * A real MCP server built with the official SDK (stateful Streamable HTTP) on 127.0.0.1, port 0, with the tools the
 * tests drive: `echo` (text), `fail` (an `isError` result), `slow` (waits until released or aborted) and `image`
 * (a PNG). `token`, when given, is required as a Bearer token.
 */
export async function startMcpTestServer(options: { token?: string } = {}): Promise<McpTestServer> {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer }>()
  const requests: McpServerRequest[] = []
  const extraTools: string[] = []
  let slowStarted = 0
  let releaseSlow: () => void = () => undefined
  let slowGate = new Promise<void>((resolve) => (releaseSlow = resolve))
  const slowWaiters: Array<() => void> = []

  const buildServer = (): McpServer => {
    const server = new McpServer({ name: 'test-notes', version: '1.0.0' })
    server.registerTool('echo', { description: 'Echoes the text back.', inputSchema: { text: z.string() } }, async ({ text }) => ({
      content: [{ type: 'text', text: `echo: ${text}` }],
    }))
    server.registerTool('fail', { description: 'Always fails.', inputSchema: {} }, async () => ({
      content: [{ type: 'text', text: 'the notes database is locked' }],
      isError: true,
    }))
    server.registerTool('slow', { description: 'Takes its time.', inputSchema: {} }, async (_args, extra) => {
      slowStarted += 1
      for (const wake of slowWaiters.splice(0)) wake()
      await Promise.race([slowGate, new Promise((resolve) => extra.signal.addEventListener('abort', resolve, { once: true }))])
      return { content: [{ type: 'text', text: 'slow done' }] }
    })
    server.registerTool('image', { description: 'Returns a picture.', inputSchema: {} }, async () => ({
      content: [{ type: 'text', text: 'here it is' }, { type: 'image', data: TINY_PNG, mimeType: 'image/png' }],
    }))
    for (const name of extraTools) registerExtra(server, name)
    return server
  }

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const sessionId = header(request, 'mcp-session-id')
    requests.push({ method: request.method ?? '', authorization: header(request, 'authorization'), sessionId })
    if (options.token !== undefined && header(request, 'authorization') !== `Bearer ${options.token}`) {
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unauthorized' }))
      return
    }
    const existing = sessionId === undefined ? undefined : sessions.get(sessionId)
    if (existing !== undefined) return existing.transport.handleRequest(request, response)
    if (sessionId !== undefined) {
      // What the spec asks of a server that no longer knows the session: 404, so the client starts a new one.
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }))
      return
    }
    const server = buildServer()
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, { transport, server }),
      onsessionclosed: (id) => void sessions.delete(id),
    })
    await server.connect(transport)
    await transport.handleRequest(request, response)
  }

  const http: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error))
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo

  const closeSessions = async () => {
    const open = [...sessions.values()]
    sessions.clear()
    await Promise.all(open.map((session) => session.server.close().catch(() => undefined)))
  }

  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    get slowStarted() {
      return slowStarted
    },
    releaseSlow: () => {
      releaseSlow()
      slowGate = new Promise<void>((resolve) => (releaseSlow = resolve))
    },
    async waitForSlow(count = 1) {
      while (slowStarted < count) await new Promise<void>((resolve) => slowWaiters.push(resolve))
    },
    addTool(name) {
      extraTools.push(name)
      for (const session of sessions.values()) registerExtra(session.server, name)
    },
    restart: closeSessions,
    async close() {
      releaseSlow()
      await closeSessions()
      http.closeAllConnections()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}

function registerExtra(server: McpServer, name: string): void {
  server.registerTool(name, { description: `Added later: ${name}.`, inputSchema: {} }, async () => ({ content: [{ type: 'text', text: `${name} ran` }] }))
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}
