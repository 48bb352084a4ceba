import { describe, expect, it } from 'vitest'
import {
  createEntryId,
  createMessageEntry,
  createTranscriptHeader,
  TranscriptEntrySchema,
  type TranscriptEntry,
} from './transcript-entry.js'

const TIME = Date.parse('2026-01-10T12:00:00Z')

// Lines in the shape pi-coding-agent writes, including fields this gateway does not model.
const UPSTREAM_LINES: unknown[] = [
  { type: 'session', version: 3, id: '0b6f0c1e-1c7a-4a8e-9d55-6f1f2a0c9b11', timestamp: '2026-01-10T12:00:00.000Z', cwd: '/data/clawd' },
  {
    type: 'message',
    id: 'a1b2c3d4',
    parentId: null,
    timestamp: '2026-01-10T12:00:01.000Z',
    message: { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image', data: 'AAAA', mimeType: 'image/png' }], timestamp: TIME },
  },
  {
    type: 'message',
    id: 'b1b2c3d4',
    parentId: 'a1b2c3d4',
    timestamp: '2026-01-10T12:00:02.000Z',
    message: {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'hmm', thinkingSignature: 'sig' },
        { type: 'text', text: 'hello' },
        { type: 'toolCall', id: 'call_1', name: 'read', arguments: { path: 'a.txt' } },
      ],
      api: 'anthropic-messages',
      provider: 'anthropic',
      model: 'claude-opus-4-5',
      usage: { input: 10, output: 5, cacheRead: 0, cacheWrite: 0, totalTokens: 15, cost: { input: 0.1, total: 0.2 } },
      stopReason: 'toolUse',
      timestamp: TIME,
    },
  },
  {
    type: 'message',
    id: 'c1b2c3d4',
    parentId: 'b1b2c3d4',
    timestamp: '2026-01-10T12:00:03.000Z',
    message: { role: 'toolResult', toolCallId: 'call_1', toolName: 'read', content: [{ type: 'text', text: 'data' }], isError: false, timestamp: TIME },
  },
  { type: 'model_change', id: 'd1b2c3d4', parentId: 'c1b2c3d4', timestamp: '2026-01-10T12:00:04.000Z', provider: 'openai', modelId: 'gpt-4o' },
  { type: 'compaction', id: 'e1b2c3d4', parentId: 'd1b2c3d4', timestamp: '2026-01-10T12:00:05.000Z', summary: 'earlier talk', firstKeptEntryId: 'c1b2c3d4', tokensBefore: 12000 },
  { type: 'custom', id: 'f1b2c3d4', parentId: 'e1b2c3d4', timestamp: '2026-01-10T12:00:06.000Z', customType: 'note', data: { x: 1 } },
  { type: 'thinking_level_change', id: '01b2c3d4', parentId: 'f1b2c3d4', timestamp: '2026-01-10T12:00:07.000Z', thinkingLevel: 'high' },
]

describe('TranscriptEntrySchema', () => {
  it.each(UPSTREAM_LINES.map((line) => [(line as { type: string }).type, line]))(
    'accepts an upstream %s line and keeps every field',
    (_type, line) => {
      expect(TranscriptEntrySchema.parse(line)).toEqual(line)
    },
  )

  it.each([
    ['a message with an unknown role', { ...(UPSTREAM_LINES[1] as object), message: { role: 'system', content: 'x', timestamp: 1 } }],
    ['an assistant message with a bad stopReason', { type: 'message', id: 'x', parentId: null, timestamp: 't', message: { role: 'assistant', content: [], stopReason: 'nope', timestamp: 1 } }],
    ['a compaction without a summary', { type: 'compaction', id: 'x', parentId: null, timestamp: 't', firstKeptEntryId: 'a', tokensBefore: 1 }],
    ['an unknown type without an id', { type: 'label' }],
    ['a user message with a string timestamp', { type: 'message', id: 'x', parentId: null, timestamp: 't', message: { role: 'user', content: 'x', timestamp: 'now' } }],
  ])('rejects %s', (_name, line) => {
    expect(TranscriptEntrySchema.safeParse(line).success).toBe(false)
  })
})

describe('entry builders', () => {
  it('creates 8-hex ids that differ', () => {
    const ids = new Set(Array.from({ length: 50 }, createEntryId))
    expect(ids.size).toBe(50)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}$/)
  })

  it('builds a v3 header and a linked message line that validate', () => {
    const header = createTranscriptHeader('session-1', TIME, '/data/clawd')
    expect(header).toEqual({ type: 'session', version: 3, id: 'session-1', timestamp: '2026-01-10T12:00:00.000Z', cwd: '/data/clawd' })
    const entry = createMessageEntry({ role: 'user', content: 'hi', timestamp: TIME }, null, TIME)
    expect(entry).toMatchObject({ type: 'message', parentId: null, timestamp: '2026-01-10T12:00:00.000Z' })
    const lines: TranscriptEntry[] = [header, entry]
    for (const line of lines) expect(TranscriptEntrySchema.parse(JSON.parse(JSON.stringify(line)))).toEqual(line)
  })
})
