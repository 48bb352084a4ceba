import { h, type Child } from '../lib/dom.js'
import { clockTime } from '../lib/format.js'
import type { ChatMessage, ContentBlock } from '../lib/protocol-types.js'
import { renderMarkdown } from '../markdown/render-markdown.js'
import { renderToolCard } from './tool-card.js'

/** A message the UI adds itself: an inline error or a note (stopped run), shown until the next history load. */
export interface LocalNote {
  role: 'error' | 'note'
  text: string
}

// The runtime marks the instruction it sends for a bare `/new`; it is not something the user typed.
const isGreeting = (message: { purpose?: unknown }) => message.purpose === 'session-greeting'
const IMAGE_TYPE = /^image\/(png|jpe?g|gif|webp)$/
const BASE64 = /^[A-Za-z0-9+/=\s]+$/

/** Renders one transcript message: Markdown text, images, tool calls and results as collapsible cards. */
export function renderMessage(
  message: ChatMessage,
  options: { streaming?: boolean; waiting?: boolean; results?: ReadonlyMap<string, ChatMessage>; extra?: Child[] } = {},
): HTMLElement {
  // The gateway starts a `/new` session with this prompt as the user turn; show it as what it means.
  if (message.role === 'user' && isGreeting(message as { purpose?: unknown })) return renderNote({ role: 'note', text: 'New session started.' })
  const role = isToolResult(message) ? 'tool' : message.role === 'user' ? 'user' : 'assistant'
  const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content } as ContentBlock] : Array.isArray(message.content) ? message.content : []
  const body: Child[] = []
  if (role === 'tool') {
    const text = blocks.map(blockText).filter(Boolean).join('\n')
    body.push(renderToolCard({ name: message.toolName ?? 'tool', args: {}, output: text, isError: message.isError === true }))
  } else {
    const text = blocks.filter((block) => block.type === 'text').map(blockText).join('\n')
    const cleaned = role === 'assistant' ? stripReasoningTags(text) : text
    if (cleaned.trim()) body.push(h('div', { class: 'markdown' }, renderMarkdown(cleaned)))
    for (const block of blocks) {
      if (block.type === 'image') body.push(renderImage(block))
      if (isToolCall(block)) {
        const call = block as { id?: string; name?: string; arguments?: unknown; input?: unknown }
        const result = call.id ? options.results?.get(call.id) : undefined
        body.push(
          renderToolCard({
            name: call.name ?? 'tool',
            args: call.arguments ?? call.input ?? {},
            ...(result
              ? {
                  output: (Array.isArray(result.content) ? result.content.map(blockText).filter(Boolean).join('\n') : String(result.content ?? '')),
                  isError: result.isError === true || isErrorDetails(result),
                  durationMs: result.timestamp && message.timestamp ? result.timestamp - message.timestamp : undefined,
                }
              : {}),
          }),
        )
      }
    }
    if (options.extra) body.push(...options.extra)
    if (message.errorMessage) body.push(h('p', { class: 'inline-error', role: 'alert' }, `Error: ${message.errorMessage}`))
  }
  if (body.length === 0 && !options.waiting) body.push(h('p', { class: 'muted' }, '(empty message)'))
  const label = role === 'user' ? 'You' : role === 'tool' ? 'Tool' : 'Assistant'
  return h(
    'article',
    { class: `message ${role}${options.streaming ? ' streaming' : ''}`, 'aria-label': `${label} message`, 'aria-busy': options.streaming ? 'true' : null },
    h('header', { class: 'message-meta' }, h('span', { class: 'message-role' }, label), message.timestamp ? h('time', { datetime: new Date(message.timestamp).toISOString() }, clockTime(message.timestamp)) : null, options.streaming ? h('span', { class: 'typing', 'aria-label': 'typing' }, h('i'), h('i'), h('i')) : null),
    h('div', { class: 'message-body' }, body),
  )
}

/** An error or note line inside the thread. */
export function renderNote(note: LocalNote): HTMLElement {
  return note.role === 'error'
    ? h('div', { class: 'chat-error', role: 'alert' }, h('strong', null, 'Error: '), note.text)
    : h('div', { class: 'chat-note' }, note.text)
}

function firstText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content
  return Array.isArray(message.content) ? blockText(message.content.find((block) => block.type === 'text') ?? { type: 'none' }) : ''
}

function isToolResult(message: ChatMessage): boolean {
  return message.role === 'toolResult' || message.role === 'tool' || message.toolCallId !== undefined
}

function isToolCall(block: ContentBlock): boolean {
  return ['toolCall', 'tool_call', 'toolUse', 'tool_use'].includes(block.type)
}

function blockText(block: ContentBlock): string {
  return typeof (block as { text?: unknown }).text === 'string' ? (block as { text: string }).text : ''
}

function stripReasoningTags(text: string): string {
  return text.replace(/<think(ing)?>[\s\S]*?(<\/think(ing)?>|$)/gi, '').replace(/<\/?final>/gi, '')
}

function isErrorDetails(message: ChatMessage): boolean {
  const status = (message as { details?: { status?: unknown } }).details?.status
  return typeof status === 'string' && ['error', 'timeout'].includes(status.toLowerCase())
}

/** True for a tool call block in any of the shapes the renderer accepts. */
export function isToolCallBlock(block: ContentBlock): boolean {
  return isToolCall(block)
}

function renderImage(block: ContentBlock): Child {
  const image = block as { data?: string; mimeType?: string; source?: { media_type?: string; data?: string } }
  const mimeType = image.mimeType ?? image.source?.media_type ?? ''
  const data = image.data ?? image.source?.data ?? ''
  if (!IMAGE_TYPE.test(mimeType) || !BASE64.test(data)) return h('p', { class: 'muted' }, '(image)')
  return h('img', { class: 'message-image', src: `data:${mimeType};base64,${data}`, alt: 'Attached image', loading: 'lazy' })
}
