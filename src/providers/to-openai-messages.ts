import type OpenAI from 'openai'
import type { ContentPart, ProviderMessage } from './model-provider.js'

/** Maps a system prompt and our messages to Chat Completions messages; images become `image_url` data URLs. */
export function toOpenAiMessages(system: string, messages: ProviderMessage[]): OpenAI.ChatCompletionMessageParam[] {
  const mapped: OpenAI.ChatCompletionMessageParam[] = system === '' ? [] : [{ role: 'system', content: system }]
  for (const message of messages) {
    if (typeof message.content === 'string') {
      mapped.push({ role: message.role, content: message.content })
    } else if (message.role === 'assistant') {
      // Assistant turns may only hold text; images in them were never sent by a model.
      mapped.push({ role: 'assistant', content: message.content.map(textOf).join('') })
    } else {
      mapped.push({ role: 'user', content: message.content.map(toContentPart) })
    }
  }
  return mapped
}

function textOf(part: ContentPart): string {
  return part.type === 'text' ? part.text : ''
}

function toContentPart(part: ContentPart): OpenAI.ChatCompletionContentPart {
  if (part.type === 'text') return { type: 'text', text: part.text }
  return { type: 'image_url', image_url: { url: `data:${part.mimeType};base64,${part.data}` } }
}
