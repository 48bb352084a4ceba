import type Anthropic from '@anthropic-ai/sdk'
import type { ContentPart, ProviderMessage } from './model-provider.js'

type ImageMediaType = Anthropic.Base64ImageSource['media_type']

/** Maps our messages to Messages API params: text stays text, images become base64 image blocks. */
export function toAnthropicMessages(messages: ProviderMessage[]): Anthropic.MessageParam[] {
  return messages.map((message) => ({
    role: message.role,
    content: typeof message.content === 'string' ? message.content : message.content.map(toContentBlock),
  }))
}

function toContentBlock(part: ContentPart): Anthropic.TextBlockParam | Anthropic.ImageBlockParam {
  if (part.type === 'text') return { type: 'text', text: part.text }
  // The API itself rejects media types it does not support, with a message worth showing the user.
  return { type: 'image', source: { type: 'base64', media_type: part.mimeType as ImageMediaType, data: part.data } }
}
