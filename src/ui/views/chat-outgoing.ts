import type { ChatMessage } from '../lib/protocol-types.js'
import type { LocalNote } from './chat-message.js'

// The gateway's frame limit when hello-ok does not say (spec: policy.maxPayload, 8 MiB).
const DEFAULT_MAX_PAYLOAD = 8 * 1024 * 1024

/**
 * Says why a message cannot be sent (it would exceed the gateway's frame limit, which closes the socket), or
 * `undefined` when it fits. Checked before sending, so the text stays in the box.
 */
export function oversizeMessage(text: string, images: { mimeType: string; content: string }[], limit = DEFAULT_MAX_PAYLOAD): string | undefined {
  // JSON escaping and the frame envelope add a little; leave room for them.
  const bytes = new TextEncoder().encode(JSON.stringify(text)).byteLength + images.reduce((sum, image) => sum + image.content.length, 0) + 1_024
  if (bytes <= limit) return undefined
  const megabytes = (value: number) => `${(value / 1024 / 1024).toFixed(1)} MB`
  return `This message is ${megabytes(bytes)}; the gateway accepts at most ${megabytes(limit)} per message. Nothing was sent and your text is still in the box: shorten it, split it into several messages, or attach fewer images.`
}

/** The user's own message as the thread shows it before the gateway has it. */
export function userBubble(text: string, images: { mimeType: string; content: string }[]): ChatMessage {
  return {
    role: 'user',
    content: [...(text ? [{ type: 'text', text }] : []), ...images.map((image) => ({ type: 'image', data: image.content, mimeType: image.mimeType }))],
    timestamp: Date.now(),
  }
}

/** A message or note that belongs to the queue (removed once the queue is sent or returned). */
export function isQueuedBubble(item: ChatMessage | LocalNote): boolean {
  return (item as { queued?: boolean }).queued === true || (item.role === 'note' && !('content' in item) && (item as LocalNote).text.startsWith('Queued:'))
}

/** Whether a message has any non-blank text. */
export function hasText(message: ChatMessage): boolean {
  if (typeof message.content === 'string') return message.content.trim() !== ''
  return Array.isArray(message.content) && message.content.some((block) => typeof (block as { text?: unknown }).text === 'string' && (block as { text: string }).text.trim() !== '')
}
