import type { ToolResult } from '../tools/agent-tool.js'

/** Text the model may read from one MCP call, as `web_fetch`'s default `maxChars`. */
export const MCP_RESULT_MAX_CHARS = 50_000
/** Base64 characters of images kept from one call (~3 MB decoded); larger images are described instead. */
export const MCP_RESULT_MAX_IMAGE_CHARS = 4_000_000

type McpContentBlock = { type: string; [key: string]: unknown }

/**
 * Maps an MCP `tools/call` result to a tool result: text and images pass through, embedded text resources become
 * text under their URI, binary resources, audio and links are described, `isError` marks a tool error. Everything
 * is untrusted server output, so text is capped (with a note saying so) and images past a budget are described.
 */
export function toMcpToolResult(result: Record<string, unknown>): ToolResult {
  const blocks = Array.isArray(result.content) ? (result.content as McpContentBlock[]) : []
  const parts: ToolResult['content'] = []
  let chars = 0
  let imageChars = 0
  let truncated = false
  const pushText = (text: string) => {
    const room = MCP_RESULT_MAX_CHARS - chars
    if (room <= 0) return void (truncated = true)
    if (text.length > room) truncated = true
    const kept = text.slice(0, room)
    chars += kept.length
    parts.push({ type: 'text', text: kept })
  }
  for (const block of blocks) {
    if (block.type === 'text' && typeof block.text === 'string') pushText(block.text)
    else if (block.type === 'image' && typeof block.data === 'string' && typeof block.mimeType === 'string') {
      if (imageChars + block.data.length <= MCP_RESULT_MAX_IMAGE_CHARS && block.mimeType.startsWith('image/')) {
        imageChars += block.data.length
        parts.push({ type: 'image', data: block.data, mimeType: block.mimeType })
      } else pushText(`[image ${block.mimeType} omitted: over the size budget]`)
    } else if (block.type === 'resource' && typeof block.resource === 'object' && block.resource !== null) {
      const resource = block.resource as { uri?: unknown; text?: unknown; mimeType?: unknown; blob?: unknown }
      const uri = typeof resource.uri === 'string' ? resource.uri : 'resource'
      if (typeof resource.text === 'string') pushText(`${uri}:\n${resource.text}`)
      else pushText(`[binary resource ${uri}${typeof resource.mimeType === 'string' ? ` (${resource.mimeType})` : ''} omitted]`)
    } else if (block.type === 'resource_link' && typeof block.uri === 'string') {
      pushText(`[resource link] ${typeof block.name === 'string' ? `${block.name}: ` : ''}${block.uri}`)
    } else if (block.type === 'audio') pushText('[audio content omitted]')
  }
  if (parts.length === 0 && result.structuredContent !== undefined) pushText(JSON.stringify(result.structuredContent, null, 2))
  // Servers on the 2024-10-07 protocol answer with `toolResult` instead of content blocks.
  if (parts.length === 0 && result.toolResult !== undefined) pushText(JSON.stringify(result.toolResult, null, 2))
  if (parts.length === 0) pushText('(no output)')
  if (truncated) parts.push({ type: 'text', text: `\n[output truncated at ${MCP_RESULT_MAX_CHARS} characters]` })
  return { content: parts, isError: result.isError === true ? true : undefined, details: { truncated } }
}
