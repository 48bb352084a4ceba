import { z } from 'zod'

const HeaderValueSchema = z.union([z.string(), z.number(), z.boolean()])
const NameListSchema = z.array(z.string())

/** Keys that describe a spawned (stdio) server; refused: a config edit must never start a process. */
const STDIO_KEYS = ['command', 'args', 'env', 'cwd', 'workingDirectory'] as const

/**
 * One `mcp.servers.<name>` entry with upstream's keys (spec/agent-tools.md §4.1). Only remote servers are served
 * here; stdio and OAuth entries are refused with a message that says so. `allowPrivateNetwork` is our superset key
 * for a server on a private address (a sidecar on Fly's private network, a test server on loopback).
 */
export const McpServerSchema = z
  .object({
    url: z.string().optional(),
    type: z.string().optional(),
    transport: z.enum(['streamable-http', 'sse']).optional(),
    headers: z.record(z.string(), HeaderValueSchema).optional(),
    command: z.string().optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
    workingDirectory: z.string().optional(),
    auth: z.string().optional(),
    oauth: z.record(z.string(), z.unknown()).optional(),
    connectionTimeoutMs: z.number().int().positive().optional(),
    connectTimeout: z.number().positive().optional(),
    timeout: z.number().positive().optional(),
    requestTimeoutMs: z.number().int().positive().optional(),
    enabled: z.boolean().optional(),
    toolFilter: z.object({ include: NameListSchema.optional(), exclude: NameListSchema.optional() }).strict().optional(),
    supportsParallelToolCalls: z.boolean().optional(),
    sslVerify: z.boolean().optional(),
    clientCert: z.string().optional(),
    clientKey: z.string().optional(),
    allowPrivateNetwork: z.boolean().optional(),
  })
  .strict()
  .superRefine((server, context) => {
    if (STDIO_KEYS.some((key) => server[key] !== undefined)) {
      context.addIssue({
        code: 'custom',
        path: [],
        message: 'stdio MCP servers are not supported by this gateway; run the server over Streamable HTTP and set "url" instead',
      })
      return
    }
    if (server.auth !== undefined || server.oauth !== undefined) {
      context.addIssue({ code: 'custom', path: ['auth'], message: 'MCP OAuth is not supported by this gateway; put a static token in "headers" (e.g. Authorization: "Bearer ${TOKEN}")' })
    }
    if (server.url === undefined) {
      context.addIssue({ code: 'custom', path: ['url'], message: 'an MCP server needs "url" (the server\'s Streamable HTTP endpoint, e.g. https://host/mcp)' })
      return
    }
    let parsed: URL | undefined
    try {
      parsed = new URL(server.url)
    } catch {
      context.addIssue({ code: 'custom', path: ['url'], message: 'Invalid URL; expected an absolute http(s) URL such as https://host/mcp' })
      return
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      context.addIssue({ code: 'custom', path: ['url'], message: 'MCP server URLs must use http or https' })
    }
    if (server.type !== undefined && server.type !== 'http' && server.type !== 'streamable-http' && server.type !== 'sse') {
      context.addIssue({ code: 'custom', path: ['type'], message: 'Invalid type; use "http" (Streamable HTTP) or "sse", or set "transport"' })
    }
    if (server.clientCert !== undefined || server.clientKey !== undefined || server.sslVerify === false) {
      context.addIssue({ code: 'custom', path: [], message: 'client certificates and sslVerify:false are not supported by this gateway (fetch verifies TLS)' })
    }
  })

/** The top-level `mcp` section: remote MCP servers whose tools join the agent's tools. */
export const McpSchema = z
  .object({
    servers: z.record(z.string(), McpServerSchema).optional(),
    sessionIdleTtlMs: z.number().int().nonnegative().optional(),
  })
  .strict()

export type McpServerConfig = z.infer<typeof McpServerSchema>
