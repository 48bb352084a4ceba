import type Anthropic from '@anthropic-ai/sdk'
import type { ContentPart, ProviderMessage, ToolCallPart, ToolSpec } from './model-provider.js'
import { toToolCallId } from './to-tool-call-id.js'

type ImageMediaType = Anthropic.Base64ImageSource['media_type']
const MAX_ID_LENGTH = 64

/**
 * Maps our messages to Messages API params: text stays text, images become base64 image blocks, tool calls become
 * `tool_use` blocks and tool results `tool_result` blocks of the next user turn (merged with any user text that
 * follows, because the API rejects two user turns in a row).
 */
export function toAnthropicMessages(messages: ProviderMessage[]): Anthropic.MessageParam[] {
  const mapped: Anthropic.MessageParam[] = []
  for (const message of messages) {
    if (message.role === 'assistant') {
      const content = typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content.map(toAssistantBlock)
      mapped.push({ role: 'assistant', content: content.filter((block) => block.type !== 'text' || block.text !== '') })
      continue
    }
    const blocks: Anthropic.ContentBlockParam[] =
      message.role === 'toolResult'
        ? [
            {
              type: 'tool_result',
              tool_use_id: toToolCallId(message.toolCallId, MAX_ID_LENGTH),
              content: message.content.length > 0 ? message.content.map(toContentBlock) : [{ type: 'text', text: '(no output)' }],
              ...(message.isError ? { is_error: true } : {}),
            },
          ]
        : typeof message.content === 'string'
          ? [{ type: 'text', text: message.content }]
          : message.content.map(toContentBlock)
    const previous = mapped.at(-1)
    if (previous?.role !== 'user' && typeof message.content === 'string') {
      mapped.push({ role: 'user', content: message.content })
    } else if (previous?.role === 'user') {
      previous.content = [...toBlocks(previous.content), ...blocks]
    } else {
      mapped.push({ role: 'user', content: blocks })
    }
  }
  return mapped
}

/** Maps our tool specs to the API's `tools` parameter. */
export function toAnthropicTools(tools: readonly ToolSpec[]): Anthropic.Tool[] {
  return tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters as Anthropic.Tool.InputSchema }))
}

function toBlocks(content: string | Anthropic.ContentBlockParam[]): Anthropic.ContentBlockParam[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content
}

function toAssistantBlock(part: ContentPart | ToolCallPart): Anthropic.ContentBlockParam {
  if (part.type === 'toolCall') return { type: 'tool_use', id: toToolCallId(part.id, MAX_ID_LENGTH), name: part.name, input: part.arguments }
  if (part.type === 'text') return { type: 'text', text: part.text }
  return { type: 'text', text: '' }
}

function toContentBlock(part: ContentPart): Anthropic.TextBlockParam | Anthropic.ImageBlockParam {
  if (part.type === 'text') return { type: 'text', text: part.text }
  // The API itself rejects media types it does not support, with a message worth showing the user.
  return { type: 'image', source: { type: 'base64', media_type: part.mimeType as ImageMediaType, data: part.data } }
}
