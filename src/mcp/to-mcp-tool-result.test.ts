import { describe, expect, it } from 'vitest'
import { MCP_RESULT_MAX_CHARS, toMcpToolResult } from './to-mcp-tool-result.js'

describe('toMcpToolResult', () => {
  it('turns embedded resources, links and audio into text the model can read', () => {
    const result = toMcpToolResult({
      content: [
        { type: 'resource', resource: { uri: 'notes://1', text: 'first note' } },
        { type: 'resource', resource: { uri: 'notes://2', blob: 'AAAA', mimeType: 'application/pdf' } },
        { type: 'resource_link', uri: 'notes://3', name: 'third' },
        { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
      ],
    })
    expect(result.content.map((part) => (part.type === 'text' ? part.text : part.type))).toEqual([
      'notes://1:\nfirst note',
      '[binary resource notes://2 (application/pdf) omitted]',
      '[resource link] third: notes://3',
      '[audio content omitted]',
    ])
    expect(result.isError).toBeUndefined()
  })

  it('caps text at the web_fetch budget and says so', () => {
    const result = toMcpToolResult({ content: [{ type: 'text', text: 'x'.repeat(MCP_RESULT_MAX_CHARS + 10) }, { type: 'text', text: 'dropped' }] })
    const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('')
    expect(text.startsWith('x'.repeat(MCP_RESULT_MAX_CHARS))).toBe(true)
    expect(text).not.toContain('dropped')
    expect(text).toContain(`[output truncated at ${MCP_RESULT_MAX_CHARS} characters]`)
  })

  it('falls back to structured content, then to a plain note', () => {
    expect(toMcpToolResult({ content: [], structuredContent: { count: 2 } }).content).toEqual([{ type: 'text', text: '{\n  "count": 2\n}' }])
    expect(toMcpToolResult({ isError: true }).content).toEqual([{ type: 'text', text: '(no output)' }])
    expect(toMcpToolResult({ isError: true }).isError).toBe(true)
  })

  it('describes non-image or oversized image blocks instead of passing them on', () => {
    const result = toMcpToolResult({ content: [{ type: 'image', data: 'x'.repeat(5_000_000), mimeType: 'image/png' }] })
    expect(result.content).toEqual([{ type: 'text', text: '[image image/png omitted: over the size budget]' }])
  })
})
