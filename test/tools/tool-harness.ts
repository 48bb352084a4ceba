import { createLogger } from '../../src/logging/logger.js'
import { LogRing } from '../../src/logging/log-ring.js'
import { parseConfigText } from '../../src/config/load-config.js'
import { createNodeScheduler } from '../../src/runtime/node/node-scheduler.js'
import type { AgentTool, ToolRunContext } from '../../src/tools/agent-tool.js'
import { executeToolCall } from '../../src/tools/execute-tool-call.js'
import type { NetworkAccess } from '../../src/tools/network-access.js'
import { createToolServices, type BuiltinToolFactory, type ToolServices } from '../../src/tools/tool-services.js'
import type { WorkspaceFiles } from '../../src/workspace/workspace-files.js'

/** Builds one built-in tool with real services and runs calls against it the way the loop does. */
export async function toolHarness(
  factory: BuiltinToolFactory,
  options: { config?: Record<string, unknown>; env?: Record<string, string>; network?: NetworkAccess; workspaceFiles?: WorkspaceFiles; fetch?: typeof fetch } = {},
) {
  const loaded = await parseConfigText(JSON.stringify(options.config ?? {}), '/state/clawdbot.json', { readText: async () => undefined, env: {}, homeDir: '/home/test' })
  if (!loaded.ok) throw new Error(`config invalid: ${JSON.stringify(loaded.issues)}`)
  const warnings: string[] = []
  const logger = createLogger({ now: Date.now, sink: (record) => void (record.level === 'warn' && warnings.push(record.message)), ring: new LogRing(), secrets: () => [] })
  const services: ToolServices = createToolServices({
    env: options.env ?? {},
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    network: options.network ?? { resolve: async () => [], request: () => Promise.reject(new Error('no network in this test')) },
    now: Date.now,
    scheduler: createNodeScheduler(),
    logger,
    workspaceFiles: options.workspaceFiles,
  })
  const run: ToolRunContext = { config: loaded.config, agentId: 'main', sessionKey: 'agent:main:main', workspace: '/ws', modelRef: 'anthropic/claude-opus-4-5', channel: 'webchat' }
  const tool = factory(services, run) as AgentTool | undefined
  const call = async (args: Record<string, unknown>, signal = new AbortController().signal) => {
    if (!tool) throw new Error('tool not offered')
    const result = await executeToolCall([tool], { type: 'toolCall', id: 'call_1', name: tool.name, arguments: args }, { toolCallId: 'call_1', signal, onUpdate: () => {} }, logger)
    const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('')
    return { result, text, details: result.details as Record<string, any> }
  }
  return { tool, call, services, warnings }
}
