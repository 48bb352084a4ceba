import { describe, it, expect } from 'vitest'
import { buildSystemPrompt, isSilentReply } from './system-prompt.js'
import { readWorkspaceFiles, truncateBootstrap } from './workspace-files.js'
import { applyResponsePrefix } from './response-prefix.js'

const NOW = Date.UTC(2026, 10, 24, 23, 30) // 23:30 UTC = next day in Tokyo

describe('buildSystemPrompt', () => {
  it('puts identity first, the date in the user time zone, then group context, project files and NO_REPLY', () => {
    const prompt = buildSystemPrompt({
      agentId: 'main',
      identity: { name: 'Molty', emoji: '🦞' },
      workspace: '/data/workspace',
      files: [{ name: 'SOUL.md', path: '/data/workspace/SOUL.md', text: 'Be kind.', truncated: false }],
      userTimezone: 'Asia/Tokyo',
      now: NOW,
      model: 'anthropic/claude-opus-4-5',
      channel: 'discord',
      groupChat: { topic: 'Cooking', systemPrompt: 'Answer in French.' },
    })
    expect(prompt.startsWith('You are Molty 🦞, a personal assistant')).toBe(true)
    expect(prompt).toContain('Today is Wednesday, 2026-11-25 (time zone: Asia/Tokyo).')
    expect(prompt).toContain('## Group Chat Context\nChannel topic: Cooking\n\nAnswer in French.')
    expect(prompt).toContain('# Project Context\n\n## SOUL.md\nBe kind.')
    expect(prompt.indexOf('Group Chat Context')).toBeLessThan(prompt.indexOf('Project Context'))
    expect(prompt).toContain('reply with exactly NO_REPLY')
    expect(prompt).toContain('Runtime: agent=main model=anthropic/claude-opus-4-5 channel=discord')
  })

  it('falls back to UTC for a bad time zone and omits empty sections', () => {
    const prompt = buildSystemPrompt({ agentId: 'a', workspace: '/w', files: [], userTimezone: 'Mars/Olympus', now: NOW, model: 'openai/gpt-4o' })
    expect(prompt).toContain('Today is Tuesday, 2026-11-24 (time zone: UTC).')
    expect(prompt).not.toContain('Group Chat Context')
    expect(prompt).not.toContain('Project Context')
  })

  it('recognises silent replies', () => {
    expect(isSilentReply('  NO_REPLY\n')).toBe(true)
    expect(isSilentReply('NO_REPLY because')).toBe(false)
  })
})

describe('readWorkspaceFiles', () => {
  it('reads files in order, marks missing expected ones, skips empty ones and picks up MEMORY.md', async () => {
    const files: Record<string, string> = { '/w/SOUL.md': 'soul', '/w/USER.md': '  ', '/w/memory.md': 'remember' }
    const result = await readWorkspaceFiles('/w', async (path) => files[path], 20_000)
    expect(result.map((file) => [file.name, file.text])).toEqual([
      ['AGENTS.md', '[MISSING] Expected at: /w/AGENTS.md'],
      ['SOUL.md', 'soul'],
      ['TOOLS.md', '[MISSING] Expected at: /w/TOOLS.md'],
      ['IDENTITY.md', '[MISSING] Expected at: /w/IDENTITY.md'],
      ['memory.md', 'remember'],
    ])
  })

  it('contributes nothing when the workspace has none of the files', async () => {
    expect(await readWorkspaceFiles('/w', async () => undefined, 20_000)).toEqual([])
  })

  it('treats an unreadable file as missing', async () => {
    const result = await readWorkspaceFiles('/w', async (path) => {
      if (path.endsWith('AGENTS.md')) throw new Error('EISDIR')
      return path.endsWith('SOUL.md') ? 'soul' : undefined
    }, 20_000)
    expect(result[0].text).toBe('[MISSING] Expected at: /w/AGENTS.md')
  })

  it('keeps 70% head and 20% tail of an over-long file, with markers', () => {
    const content = `${'h'.repeat(800)}${'m'.repeat(100)}${'t'.repeat(100)}`
    const { text, truncated } = truncateBootstrap(content, '/w/AGENTS.md', 500)
    expect(truncated).toBe(true)
    expect(text.startsWith('h'.repeat(350) + '\n[...truncated, read /w/AGENTS.md for full content...]')).toBe(true)
    expect(text).toContain('…(truncated /w/AGENTS.md: kept 350+100 chars of 1000)…')
    expect(text.endsWith(`\n${'t'.repeat(100)}`)).toBe(true)
    expect(text).not.toContain('hm')
    expect(truncateBootstrap('short', '/x', 1000)).toEqual({ text: 'short', truncated: false })
  })
})

describe('applyResponsePrefix', () => {
  const context = { modelRef: 'anthropic/claude-opus-4-5', identityName: 'Molty', thinkingLevel: 'low' }
  it('renders auto and templates', () => {
    expect(applyResponsePrefix('Hi', 'auto', context)).toBe('[Molty] Hi')
    expect(applyResponsePrefix('Hi', '({Provider}/{MODEL} {think})', context)).toBe('(anthropic/claude-opus-4-5 low) Hi')
    expect(applyResponsePrefix('Hi', '[{modelFull}|{identity.name}|{unknown}]', context)).toBe('[anthropic/claude-opus-4-5|Molty|{unknown}] Hi')
  })
  it('leaves text alone without a prefix, and never doubles one', () => {
    expect(applyResponsePrefix('Hi', undefined, context)).toBe('Hi')
    expect(applyResponsePrefix('[Molty] Hi', 'auto', context)).toBe('[Molty] Hi')
    expect(applyResponsePrefix('Hi', 'auto', { modelRef: 'x/y' })).toBe('Hi')
  })

  it('lists the offered tools and adds memory recall rules only when memory tools exist', () => {
    const base = { agentId: 'a', workspace: '/w', files: [], now: NOW, model: 'anthropic/claude-opus-4-5' }
    const full = buildSystemPrompt({ ...base, toolNames: ['web_search', 'memory_search', 'memory_get', 'write', 'edit', 'custom_tool'] })
    expect(full).toContain('## Tooling')
    expect(full).toContain('- web_search: search the web')
    expect(full).toContain('- custom_tool')
    expect(full).toContain('## Memory Recall')
    expect(full).toContain('memory/YYYY-MM-DD.md')
    const webOnly = buildSystemPrompt({ ...base, toolNames: ['web_fetch'] })
    expect(webOnly).not.toContain('## Memory Recall')
    expect(buildSystemPrompt(base)).not.toContain('## Tooling')
  })
})
