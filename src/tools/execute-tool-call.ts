import type { Logger } from '../logging/logger.js'
import type { ToolCallPart } from '../providers/model-provider.js'
import type { AgentTool, ToolCallContext, ToolResult } from './agent-tool.js'
import { jsonResult } from './agent-tool.js'
import { validateArguments } from './validate-arguments.js'

/**
 * Runs one tool call the way upstream does (spec/agent-tools.md §1.2): exact-name lookup, argument validation with
 * coercion, then the tool. A tool's own exception becomes a normal result `{status:"error", tool, error}`; an
 * unknown tool or invalid arguments become an error result carrying the message. Aborts are rethrown, so the run
 * ends instead of feeding "Aborted" back to the model.
 */
export async function executeToolCall(tools: readonly AgentTool[], call: ToolCallPart, context: ToolCallContext, logger?: Logger): Promise<ToolResult> {
  const tool = tools.find((candidate) => candidate.name === call.name)
  if (!tool) return errorResult(`Tool ${call.name} not found`)
  const args = structuredClone(call.arguments)
  const invalid = validateArguments(tool.name, tool.parameters, args)
  if (invalid) return errorResult(invalid)
  if (context.signal.aborted) throw abortError()
  try {
    return await tool.execute(args, context)
  } catch (error) {
    if (context.signal.aborted || (error instanceof Error && error.name === 'AbortError')) throw error
    const message = error instanceof Error ? error.message : String(error)
    logger?.warn(`[tools] ${tool.name} failed: ${message}`)
    return jsonResult({ status: 'error', tool: tool.name, error: message })
  }
}

/** True when a result counts as an error for displays: `isError`, or `details.status` of error/timeout. */
export function isErrorResult(result: ToolResult): boolean {
  if (result.isError) return true
  const status = (result.details as { status?: unknown } | undefined)?.status
  return typeof status === 'string' && ['error', 'timeout'].includes(status.toLowerCase())
}

function errorResult(text: string): ToolResult {
  return { content: [{ type: 'text', text }], details: {}, isError: true }
}

function abortError(): Error {
  const error = new Error('Aborted')
  error.name = 'AbortError'
  return error
}
