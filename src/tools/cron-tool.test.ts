import { describe, expect, it } from 'vitest'
import { createCronTool, type CronAccess } from './cron-tool.js'

const NOW = Date.parse('2026-01-12T12:00:00Z')

function fakeAccess(route?: { channel: string; to: string }) {
  const calls: { method: string; params: Record<string, unknown> }[] = []
  const access: CronAccess = {
    async call(method, params) {
      calls.push({ method, params })
      return { ok: true, method }
    },
    async recentMessages() {
      return [
        { role: 'user', text: 'my flight leaves friday at 9' },
        { role: 'assistant', text: 'Noted.' },
      ]
    },
    async route() {
      return route
    },
  }
  return { access, calls }
}

const signal = new AbortController().signal
const context = { toolCallId: 't1', signal, onUpdate: () => {} }
const run = { agentId: 'work', sessionKey: 'agent:work:discord:channel:1' }

describe('cron tool', () => {
  it('maps each action to the local method; run is forced and the gateway URL and token are never used', async () => {
    const { access, calls } = fakeAccess()
    const tool = createCronTool(access, () => NOW, run)
    await tool.execute({ action: 'status', gatewayUrl: 'http://169.254.169.254', gatewayToken: 'secret' }, context)
    await tool.execute({ action: 'list', includeDisabled: true }, context)
    await tool.execute({ action: 'update', id: 'j1', patch: { enabled: false } }, context)
    await tool.execute({ action: 'remove', jobId: 'j1' }, context)
    await tool.execute({ action: 'run', jobId: 'j1' }, context)
    await tool.execute({ action: 'runs', jobId: 'j1' }, context)
    await tool.execute({ action: 'wake', text: 'check mail' }, context)
    expect(calls).toEqual([
      { method: 'cron.status', params: {} },
      { method: 'cron.list', params: { includeDisabled: true } },
      { method: 'cron.update', params: { id: 'j1', patch: { enabled: false } } },
      { method: 'cron.remove', params: { id: 'j1' } },
      { method: 'cron.run', params: { id: 'j1', mode: 'force' } },
      { method: 'cron.runs', params: { id: 'j1' } },
      { method: 'wake', params: { mode: 'next-heartbeat', text: 'check mail' } },
    ])
    expect(JSON.stringify(calls)).not.toContain('secret')
  })

  it("fails with upstream's texts", async () => {
    const tool = createCronTool(fakeAccess().access, () => NOW, run)
    await expect(tool.execute({ action: 'add' }, context)).rejects.toThrow('job required')
    await expect(tool.execute({ action: 'update', id: 'j1' }, context)).rejects.toThrow('patch required')
    await expect(tool.execute({ action: 'remove' }, context)).rejects.toThrow('jobId required (id accepted for backward compatibility)')
    await expect(tool.execute({ action: 'wake', text: ' ' }, context)).rejects.toThrow('text required')
    await expect(tool.execute({ action: 'explode' }, context)).rejects.toThrow('Unknown action: explode')
  })

  it('adds with the calling agent, a relative "at", and delivery to the asking conversation', async () => {
    const { access, calls } = fakeAccess({ channel: 'discord', to: 'channel:1' })
    const tool = createCronTool(access, () => NOW, run)
    await tool.execute({ action: 'add', job: { name: 'r', schedule: { at: '20m' }, payload: { kind: 'agentTurn', message: 'stretch' } } }, context)
    expect(calls[0]).toEqual({
      method: 'cron.add',
      params: { name: 'r', agentId: 'work', schedule: { kind: 'at', atMs: NOW + 20 * 60_000 }, payload: { kind: 'agentTurn', message: 'stretch', deliver: true, channel: 'discord', to: 'channel:1' } },
    })
    // An explicit recipient, another channel, or deliver:false is left alone.
    await tool.execute({ action: 'add', job: { name: 'r', agentId: 'main', schedule: { atMs: 5 }, payload: { kind: 'agentTurn', message: 'x', deliver: false } } }, context)
    expect(calls[1]!.params).toEqual({ name: 'r', agentId: 'main', schedule: { atMs: 5 }, payload: { kind: 'agentTurn', message: 'x', deliver: false } })
  })

  it('appends recent context to a system event when contextMessages > 0, replacing an old tail', async () => {
    const { access, calls } = fakeAccess()
    const tool = createCronTool(access, () => NOW, run)
    await tool.execute({ action: 'add', contextMessages: 2, job: { name: 'r', schedule: { everyMs: 1000 }, payload: { kind: 'systemEvent', text: 'Check the flight\n\nRecent context:\n- User: old' } } }, context)
    expect((calls[0]!.params.payload as { text: string }).text).toBe('Check the flight\n\nRecent context:\n- User: my flight leaves friday at 9\n- Assistant: Noted.')
  })
})
