import type { ProviderMessage, ToolCallPart } from '../providers/model-provider.js'

/** The text of a synthetic result for a call that never got one (upstream's wording). @see spec/agent-tools.md §1.4 */
export const MISSING_TOOL_RESULT_TEXT =
  '[clawdbot] missing tool result in session history; inserted synthetic error result for transcript repair.'

/**
 * Guarantees that every tool call is answered right after its assistant message, in call order, before anything
 * goes to a provider (Anthropic rejects unpaired `tool_use` ids; OpenAI rejects `tool` messages without a call).
 * Missing results get a synthetic error result; results without a matching call are dropped.
 */
export function repairToolPairing(messages: readonly ProviderMessage[]): ProviderMessage[] {
  const out: ProviderMessage[] = []
  let index = 0
  while (index < messages.length) {
    const message = messages[index++]
    if (message.role === 'toolResult') continue
    out.push(message)
    if (message.role !== 'assistant' || typeof message.content === 'string') continue
    const calls = message.content.filter((part): part is ToolCallPart => part.type === 'toolCall')
    if (calls.length === 0) continue
    const results = new Map<string, ProviderMessage>()
    while (index < messages.length && messages[index].role === 'toolResult') {
      const result = messages[index++] as Extract<ProviderMessage, { role: 'toolResult' }>
      if (!results.has(result.toolCallId)) results.set(result.toolCallId, result)
    }
    for (const call of calls) out.push(results.get(call.id) ?? missingResult(call))
  }
  return out
}

/** A synthetic error result for a call that has none. */
export function missingResult(call: ToolCallPart): Extract<ProviderMessage, { role: 'toolResult' }> {
  return { role: 'toolResult', toolCallId: call.id, toolName: call.name, content: [{ type: 'text', text: MISSING_TOOL_RESULT_TEXT }], isError: true }
}
