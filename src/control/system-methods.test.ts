import { describe, expect, it } from 'vitest'
import { makeTestDeps } from '../../test/helpers/make-test-deps.js'
import { builtInMethods } from './built-in-methods.js'
import { createConnectionRegistry, type ControlConnection } from './connections.js'
import { callMethod, createMethodTable, type ChannelStatusProvider } from './methods.js'

async function call(method: string, params: unknown = {}, options: { configText?: string; channelStatus?: ChannelStatusProvider; env?: Record<string, string> } = {}) {
  const { deps } = await makeTestDeps({ configText: options.configText, env: options.env })
  const connection = { info: { connId: 'c' } } as unknown as ControlConnection
  const context = { deps, connection, connections: createConnectionRegistry(), channelStatus: options.channelStatus }
  const response = await callMethod(createMethodTable(builtInMethods()), context, { type: 'req', id: '1', method, params })
  if (!response.ok) throw new Error(`${method} failed: ${response.error.message}`)
  return response.payload as any
}

describe('quiet and overview methods', () => {
  it('answers the polled stubs with correctly shaped empty results', async () => {
    expect(await call('node.list')).toEqual({ nodes: [] })
    expect(await call('device.pair.list')).toEqual({ pending: [], paired: [] })
    expect(await call('cron.status')).toEqual({ enabled: false, jobs: 0 })
    expect(await call('last-heartbeat')).toBeNull()
    expect(await call('system-presence')).toEqual([])
  })

  it('health reuses the upstream-shaped report; status is the short form', async () => {
    expect(await call('health')).toMatchObject({ ok: true, defaultAgentId: 'main', sessions: { count: 0 }, channelOrder: [] })
    expect(await call('status')).toMatchObject({ ok: true, phase: 'ready', uptimeMs: 5_000, connections: 0 })
  })

  it('lists models from primary, fallbacks and the allowlist, each once', async () => {
    const configText = JSON.stringify({
      agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-4o'] }, models: { 'openai/gpt-4o': { alias: 'gpt4' }, 'anthropic/claude-sonnet-4-5': {} } } },
    })
    expect((await call('models.list', {}, { configText })).models).toEqual([
      { id: 'claude-opus-4-5', name: 'claude-opus-4-5', provider: 'anthropic' },
      { id: 'gpt-4o', name: 'gpt-4o', provider: 'openai', alias: 'gpt4' },
      // The built-in alias is attached by the load-time defaults.
      { id: 'claude-sonnet-4-5', name: 'claude-sonnet-4-5', provider: 'anthropic', alias: 'sonnet' },
    ])
  })

  it('agents.list and agent.identity.get read the agent list', async () => {
    const configText = JSON.stringify({ agents: { list: [{ id: 'Ops', default: true, identity: { name: 'Opsy', emoji: '🛠' } }, { id: 'writer' }] } })
    expect(await call('agents.list', {}, { configText })).toEqual({
      defaultId: 'ops',
      mainKey: 'main',
      scope: 'per-sender',
      agents: [{ id: 'ops', identity: { name: 'Opsy', emoji: '🛠' } }, { id: 'writer' }],
    })
    expect(await call('agent.identity.get', { sessionKey: 'agent:ops:main' }, { configText })).toEqual({ agentId: 'ops', name: 'Opsy', avatar: '🛠' })
    expect(await call('agent.identity.get', { sessionKey: 'main' })).toEqual({ agentId: 'main', name: 'Assistant', avatar: 'A' })
  })

  it('channels.status lists only our channels, from the provider when there is one', async () => {
    const empty = await call('channels.status', { probe: false, timeoutMs: 8000 })
    expect(empty).toMatchObject({ channelOrder: [], channelMeta: [], channels: {}, channelAccounts: {}, channelDefaultAccountId: {} })
    const fromEnv = await call('channels.status', {}, { env: { DISCORD_BOT_TOKEN: 'x' } })
    expect(fromEnv.channelMeta).toEqual([{ id: 'discord', label: 'Discord', detailLabel: 'Discord Bot' }])
    expect(fromEnv.channels.discord).toEqual({ configured: true, running: false, connected: false, lastError: null })
    const live = await call('channels.status', {}, {
      channelStatus: async () => ({ discord: { configured: true, running: true, connected: true, lastError: null, defaultAccountId: 'main-bot', accounts: [{ accountId: 'main-bot', running: true }] } }),
    })
    expect(live).toMatchObject({
      channelOrder: ['discord'],
      channelLabels: { discord: 'Discord' },
      channels: { discord: { configured: true, running: true, connected: true, lastError: null } },
      channelAccounts: { discord: [{ accountId: 'main-bot', running: true }] },
      channelDefaultAccountId: { discord: 'main-bot' },
    })
  })
})
