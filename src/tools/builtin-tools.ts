import type { ToolSource } from './agent-tool.js'
import { createEditTool, createWriteTool } from './memory-write-tools.js'
import { createMemoryGetTool, createMemorySearchTool } from './memory-tools.js'
import { createSessionsHistoryTool, createSessionsListTool, createSessionsSendTool } from './session-tools.js'
import type { BuiltinToolFactory, ToolServices } from './tool-services.js'
import { createWebFetchTool } from './web-fetch.js'
import { createWebSearchTool } from './web-search.js'

/**
 * The built-in tools, in the order the model sees them. Add a tool by adding its factory here (one line); a
 * factory returns `undefined` when its config or a missing capability says the tool should not exist.
 */
export const BUILTIN_TOOL_FACTORIES: readonly BuiltinToolFactory[] = [
  createWebSearchTool,
  createWebFetchTool,
  createMemorySearchTool,
  createMemoryGetTool,
  createWriteTool,
  createEditTool,
  createSessionsListTool,
  createSessionsHistoryTool,
  createSessionsSendTool,
]

/** The tool source of the built-in tools. */
export function createBuiltinToolSource(services: ToolServices, factories: readonly BuiltinToolFactory[] = BUILTIN_TOOL_FACTORIES): ToolSource {
  return {
    id: 'builtin',
    list: (run) => factories.flatMap((factory) => factory(services, run) ?? []),
  }
}
