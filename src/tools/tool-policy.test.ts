import { describe, expect, it } from 'vitest'
import { parseConfigText } from '../config/load-config.js'
import type { AgentTool } from './agent-tool.js'
import { applyToolPolicy } from './tool-policy.js'

const names = ['web_search', 'web_fetch', 'memory_search', 'memory_get', 'write', 'edit', 'sessions_list', 'sessions_history', 'sessions_send']
const tools: AgentTool[] = [
  ...names.map((name) => ({ name, label: name, description: '', parameters: {}, execute: async () => ({ content: [] }) })),
  { name: 'docs__search', label: 'MCP', description: '', parameters: {}, group: 'bundle-mcp', execute: async () => ({ content: [] }) },
]

async function allowed(config: Record<string, unknown>, modelRef = 'anthropic/claude-opus-4-5') {
  const loaded = await parseConfigText(JSON.stringify(config), '/c.json', { readText: async () => undefined, env: {}, homeDir: '/h' })
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues))
  const warnings: string[] = []
  const logger = { warn: (text: string) => warnings.push(text) } as never
  return { names: applyToolPolicy(tools, { config: loaded.config, agentId: 'main', modelRef, logger }).map((tool) => tool.name), warnings }
}

describe('applyToolPolicy', () => {
  it('offers everything by default and applies profiles, groups and deny-over-allow', async () => {
    expect((await allowed({})).names).toHaveLength(10)
    expect((await allowed({ tools: { profile: 'minimal' } })).names).toEqual([])
    expect((await allowed({ tools: { profile: 'coding' } })).names).toEqual(['memory_search', 'memory_get', 'write', 'edit', 'sessions_list', 'sessions_history', 'sessions_send', 'docs__search'])
    expect((await allowed({ tools: { profile: 'messaging' } })).names).toEqual(['sessions_list', 'sessions_history', 'sessions_send', 'docs__search'])
    expect((await allowed({ tools: { allow: ['group:web', 'MEMORY_*'], deny: ['web_fetch'] } })).names).toEqual(['web_search', 'memory_search', 'memory_get'])
    expect((await allowed({ tools: { deny: ['bundle-mcp', 'group:sessions'] } })).names).toEqual(names.slice(0, 6))
  })

  it('applies byProvider (provider/model before provider) and per-agent policies', async () => {
    const config = { tools: { byProvider: { openai: { deny: ['group:web'] }, 'openai/gpt-4o-mini': { profile: 'minimal' } } }, agents: { list: [{ id: 'main', tools: { deny: ['write', 'edit'] } }] } }
    expect((await allowed(config, 'openai/gpt-4o')).names).toEqual(['memory_search', 'memory_get', 'sessions_list', 'sessions_history', 'sessions_send', 'docs__search'])
    expect((await allowed(config, 'openai/gpt-4o-mini')).names).toEqual([])
    expect((await allowed(config)).names).not.toContain('write')
  })

  it('ignores an allowlist of only unknown names, with upstream warning', async () => {
    const result = await allowed({ tools: { allow: ['made_up_tool'] } })
    expect(result.names).toHaveLength(10)
    expect(result.warnings).toEqual(['tools: tools.allow allowlist contains unknown entries (made_up_tool). Ignoring allowlist so core tools remain available.'])
    const partial = await allowed({ tools: { allow: ['web_search', 'exec', 'plugin_tool'] } })
    expect(partial.names).toEqual(['web_search'])
    expect(partial.warnings[0]).toContain("(plugin_tool). These entries won't match any tool unless the plugin is enabled.")
  })
})
