import type { ProviderMessage, ContentPart, ToolCallPart } from '../providers/model-provider.js'
import type { TranscriptEntry, TranscriptMessageEntry } from '../sessions/transcript-entry.js'
import { repairToolPairing } from './repair-tool-pairing.js'

// A cheap, provider-neutral estimate; close enough to keep requests inside the window with the reserve below.
const CHARS_PER_TOKEN = 4
const IMAGE_TOKENS = 1_600

type StoredBlock = { type: string; text?: string; data?: string; mimeType?: string; id?: string; name?: string; arguments?: Record<string, unknown> }

/**
 * Turns stored transcript entries into provider messages, oldest first, keeping the newest turns that fit in
 * `budgetTokens`. Tool calls and their results are replayed (and repaired so they always pair up), failed turns
 * with no content are skipped, and consecutive user or text-only assistant messages are merged, because both APIs
 * reject two user messages in a row.
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
      const content = toAssistantParts(message.content as StoredBlock[])
      if (content.length > 0) messages.push({ role: 'assistant', content })
    } else if (message.role === 'toolResult') {
      messages.push({ role: 'toolResult', toolCallId: message.toolCallId, toolName: message.toolName, content: toParts(message.content), isError: message.isError })
    }
  }
  const merged = mergeSameRole(repairToolPairing(messages))
  const kept: ProviderMessage[] = []
  let used = 0
  for (let index = merged.length - 1; index >= 0; index--) {
    const cost = estimateTokens(merged[index])
    if (used + cost > budgetTokens && kept.length > 0) break
    used += cost
    kept.unshift(merged[index])
  }
  // Both APIs want the conversation to start with the user; a cut inside a tool step drops the rest of that step.
  while (kept.length > 0 && kept[0].role !== 'user') kept.shift()
  return kept
}

/** Rough token count of a message. */
export function estimateTokens(message: ProviderMessage | string): number {
  if (typeof message === 'string') return Math.ceil(message.length / CHARS_PER_TOKEN)
  const parts: (ContentPart | ToolCallPart)[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content
  return parts.reduce((sum, part) => {
    if (part.type === 'text') return sum + Math.ceil(part.text.length / CHARS_PER_TOKEN)
    if (part.type === 'toolCall') return sum + Math.ceil((part.name.length + JSON.stringify(part.arguments).length) / CHARS_PER_TOKEN)
    return sum + IMAGE_TOKENS
  }, 4)
}

function toAssistantParts(blocks: readonly StoredBlock[]): (ContentPart | ToolCallPart)[] {
  const text = blocks
    .flatMap((block) => (block.type === 'text' && block.text ? [block.text] : []))
    .join('\n')
    .trim()
  const calls = blocks.flatMap((block): ToolCallPart[] =>
    block.type === 'toolCall' && block.id && block.name ? [{ type: 'toolCall', id: block.id, name: block.name, arguments: block.arguments ?? {} }] : [],
  )
  return [...(text ? [{ type: 'text' as const, text }] : []), ...calls]
}

function toParts(content: string | readonly StoredBlock[]): ContentPart[] {
  if (typeof content === 'string') return content.trim() ? [{ type: 'text', text: content }] : []
  return content.flatMap((block): ContentPart[] => {
    if (block.type === 'text' && block.text) return [{ type: 'text', text: block.text }]
    if (block.type === 'image' && block.data && block.mimeType) return [{ type: 'image', data: block.data, mimeType: block.mimeType }]
    return []
  })
}

function hasToolCalls(message: ProviderMessage): boolean {
  return message.role === 'assistant' && typeof message.content !== 'string' && message.content.some((part) => part.type === 'toolCall')
}

// Only plain turns are merged: a tool step keeps its own assistant message followed by its results.
function mergeSameRole(messages: ProviderMessage[]): ProviderMessage[] {
  const out: ProviderMessage[] = []
  for (const message of messages) {
    const previous = out.at(-1)
    if (previous && message.role !== 'toolResult' && previous.role === message.role && !hasToolCalls(previous)) {
      const before = typeof previous.content === 'string' ? [{ type: 'text' as const, text: previous.content }] : previous.content
      const after = typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content
      out[out.length - 1] = { role: message.role, content: [...before, ...after] } as ProviderMessage
    } else {
      out.push(message.role === 'toolResult' ? message : ({ ...message, content: typeof message.content === 'string' ? message.content : [...message.content] } as ProviderMessage))
    }
  }
  return out
}
