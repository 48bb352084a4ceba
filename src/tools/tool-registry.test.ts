import { describe, expect, it } from 'vitest'
import { parseConfigText } from '../config/load-config.js'
import type { AgentTool, ToolRunContext } from './agent-tool.js'
import { ToolRegistry } from './tool-registry.js'

const tool = (name: string, group?: string): AgentTool => ({ name, label: name, description: '', parameters: { type: 'object' }, ...(group ? { group } : {}), execute: async () => ({ content: [] }) })

async function run(config: Record<string, unknown> = {}): Promise<ToolRunContext> {
  const loaded = await parseConfigText(JSON.stringify(config), '/c.json', { readText: async () => undefined, env: {}, homeDir: '/h' })
  if (!loaded.ok) throw new Error('bad config')
  return { config: loaded.config, agentId: 'main', sessionKey: 'agent:main:main', workspace: '/w', modelRef: 'anthropic/claude-opus-4-5', channel: 'webchat' }
}

describe('ToolRegistry', () => {
  it('merges sources in order, first name wins, and never offers the unsafe tools of §3.9', async () => {
    const registry = new ToolRegistry()
    registry.addSource({ id: 'builtin', list: () => [tool('web_search'), tool('memory_get')] })
    registry.addSource({ id: 'mcp', list: async () => [tool('Web_Search', 'bundle-mcp'), tool('exec', 'bundle-mcp'), tool('browser'), tool('docs__lookup', 'bundle-mcp')] })
    expect((await registry.resolve(await run())).map((entry) => entry.name)).toEqual(['web_search', 'memory_get', 'docs__lookup'])
  })

  it('skips a failing source, applies the policy to every source, and can remove a source again', async () => {
    const registry = new ToolRegistry()
    registry.addSource({ id: 'broken', list: () => Promise.reject(new Error('server down')) })
    const remove = registry.addSource({ id: 'mcp', list: () => [tool('docs__lookup', 'bundle-mcp'), tool('web_fetch')] })
    expect((await registry.resolve(await run({ tools: { deny: ['bundle-mcp'] } }))).map((entry) => entry.name)).toEqual(['web_fetch'])
    expect((await registry.resolve(await run({ tools: { profile: 'minimal' } }))).map((entry) => entry.name)).toEqual([])
    remove()
    expect(await registry.resolve(await run())).toEqual([])
  })
})
