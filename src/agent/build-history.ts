import type { ProviderMessage, ContentPart } from '../providers/model-provider.js'
import type { TranscriptEntry, TranscriptMessageEntry } from '../sessions/transcript-entry.js'

// A cheap, provider-neutral estimate; close enough to keep requests inside the window with the reserve below.
const CHARS_PER_TOKEN = 4
const IMAGE_TOKENS = 1_600

/**
 * Turns stored transcript entries into provider messages, oldest first, keeping the newest turns that fit in
 * `budgetTokens`. Failed turns with no text are skipped, and consecutive same-role messages are merged, because
 * both APIs reject two user messages in a row.
 */
export function buildHistory(entries: readonly TranscriptEntry[], budgetTokens: number): ProviderMessage[] {
  const messages: ProviderMessage[] = []
  for (const entry of entries) {
    if (entry.type !== 'message' || !('message' in entry)) continue
    const message = (entry as TranscriptMessageEntry).message
    if (message.role === 'user') {
      const content = toParts(message.content)
      if (content.length > 0) messages.push({ role: 'user', content })
    } else if (message.role === 'assistant') {
      const text = message.content
        .flatMap((block) => (block.type === 'text' ? [block.text] : []))
        .join('\n')
        .trim()
      if (text) messages.push({ role: 'assistant', content: [{ type: 'text', text }] })
    }
  }
  const merged = mergeSameRole(messages)
  const kept: ProviderMessage[] = []
  let used = 0
  for (let index = merged.length - 1; index >= 0; index--) {
    const cost = estimateTokens(merged[index])
    if (used + cost > budgetTokens && kept.length > 0) break
    used += cost
    kept.unshift(merged[index])
  }
  // Both APIs want the conversation to start with the user.
  while (kept.length > 0 && kept[0].role !== 'user') kept.shift()
  return kept
}

/** Rough token count of a message. */
export function estimateTokens(message: ProviderMessage | string): number {
  if (typeof message === 'string') return Math.ceil(message.length / CHARS_PER_TOKEN)
  const parts = typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content
  return parts.reduce((sum, part) => sum + (part.type === 'text' ? Math.ceil(part.text.length / CHARS_PER_TOKEN) : IMAGE_TOKENS), 4)
}

function toParts(content: string | readonly { type: string; text?: string; data?: string; mimeType?: string }[]): ContentPart[] {
  if (typeof content === 'string') return content.trim() ? [{ type: 'text', text: content }] : []
  return content.flatMap((block): ContentPart[] => {
    if (block.type === 'text' && block.text) return [{ type: 'text', text: block.text }]
    if (block.type === 'image' && block.data && block.mimeType) return [{ type: 'image', data: block.data, mimeType: block.mimeType }]
    return []
  })
}

function mergeSameRole(messages: ProviderMessage[]): ProviderMessage[] {
  const out: ProviderMessage[] = []
  for (const message of messages) {
    const previous = out.at(-1)
    if (previous && previous.role === message.role) {
      previous.content = [...(previous.content as ContentPart[]), ...(message.content as ContentPart[])]
    } else {
      out.push({ role: message.role, content: [...(message.content as ContentPart[])] })
    }
  }
  return out
}
