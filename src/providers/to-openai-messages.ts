import type OpenAI from 'openai'
import type { ContentPart, ProviderMessage, ToolCallPart, ToolSpec } from './model-provider.js'
import { toToolCallId } from './to-tool-call-id.js'

const MAX_ID_LENGTH = 40

/**
 * Maps a system prompt and our messages to Chat Completions messages: images become `image_url` data URLs, tool
 * calls `tool_calls` of the assistant message and tool results `tool` messages (text only: the API has no images
 * there).
 */
export function toOpenAiMessages(system: string, messages: ProviderMessage[]): OpenAI.ChatCompletionMessageParam[] {
  const mapped: OpenAI.ChatCompletionMessageParam[] = system === '' ? [] : [{ role: 'system', content: system }]
  for (const message of messages) {
    if (message.role === 'toolResult') {
      const text = message.content.map((part) => (part.type === 'text' ? part.text : '[image omitted]')).join('\n')
      mapped.push({ role: 'tool', tool_call_id: toToolCallId(message.toolCallId, MAX_ID_LENGTH), content: text || '(no output)' })
    } else if (typeof message.content === 'string') {
      mapped.push({ role: message.role, content: message.content } as OpenAI.ChatCompletionMessageParam)
    } else if (message.role === 'assistant') {
      // Assistant turns may only hold text; images in them were never sent by a model.
      const text = message.content.map(textOf).join('')
      const calls = message.content.filter((part): part is ToolCallPart => part.type === 'toolCall')
      mapped.push({
        role: 'assistant',
        content: text === '' && calls.length > 0 ? null : text,
        ...(calls.length > 0 ? { tool_calls: calls.map(toToolCall) } : {}),
      })
    } else {
      mapped.push({ role: 'user', content: message.content.map(toContentPart) })
    }
  }
  return mapped
}

/** Maps our tool specs to the API's `tools` parameter (function tools). */
export function toOpenAiTools(tools: readonly ToolSpec[]): OpenAI.ChatCompletionTool[] {
  return tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }))
}

function toToolCall(part: ToolCallPart): OpenAI.ChatCompletionMessageToolCall {
  return { id: toToolCallId(part.id, MAX_ID_LENGTH), type: 'function', function: { name: part.name, arguments: JSON.stringify(part.arguments) } }
}

function textOf(part: ContentPart | ToolCallPart): string {
  return part.type === 'text' ? part.text : ''
}

function toContentPart(part: ContentPart): OpenAI.ChatCompletionContentPart {
  if (part.type === 'text') return { type: 'text', text: part.text }
  return { type: 'image_url', image_url: { url: `data:${part.mimeType};base64,${part.data}` } }
}
