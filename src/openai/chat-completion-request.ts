import { z } from 'zod'
import { limitedText, TEXT_LIMITS } from '../sessions/text-limits.js'

const TextPart = z.looseObject({ type: z.literal('text'), text: z.string() })
const ImagePart = z.looseObject({ type: z.literal('image_url'), image_url: z.looseObject({ url: z.string() }) })

/** The subset of an OpenAI Chat Completions request we act on; other fields are accepted and ignored. */
export const ChatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z
    .array(
      z.looseObject({
        role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
        content: z.union([z.string(), z.array(z.union([TextPart, ImagePart, z.looseObject({ type: z.string() })])), z.null()]).optional(),
      }),
    )
    .min(1),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).optional(),
  user: limitedText(TEXT_LIMITS.id).optional(),
})

export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>
type RequestMessage = ChatCompletionRequest['messages'][number]

/** Text and images of one request message; images must be base64 data URLs (no fetching of remote URLs). */
export function toMessageParts(message: RequestMessage): { text: string; images: { data: string; mimeType: string }[] } {
  if (typeof message.content === 'string') return { text: message.content, images: [] }
  const texts: string[] = []
  const images: { data: string; mimeType: string }[] = []
  for (const part of message.content ?? []) {
    if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text)
    if (part.type === 'image_url') {
      const match = /^data:([\w.+-]+\/[\w.+-]+);base64,(.+)$/s.exec((part as z.infer<typeof ImagePart>).image_url.url)
      if (match) images.push({ mimeType: match[1], data: match[2] })
    }
  }
  return { text: texts.join('\n'), images }
}

/** The agent id a `model` names (`clawdbot:<id>`, `moltbot:<id>` or `agent:<id>`), if it names one. */
export function agentIdFromModel(model: string): string | undefined {
  const match = /^(?:clawdbot|moltbot|agent):([a-z0-9][a-z0-9_-]{0,63})$/i.exec(model.trim())
  return match?.[1].toLowerCase()
}
