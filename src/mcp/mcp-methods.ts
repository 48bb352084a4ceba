import { z } from 'zod'
import { defineMethod, type MethodDefinition } from '../control/methods.js'
import type { McpServerStatus } from './mcp-server-connection.js'

/** `mcp.status` (ours, read-only): each configured MCP server's state for the Control UI's Overview. */
export function createMcpMethods(status: () => Promise<McpServerStatus[]>): MethodDefinition[] {
  return [defineMethod('mcp.status', z.looseObject({}), async () => ({ servers: await status() }))]
}
