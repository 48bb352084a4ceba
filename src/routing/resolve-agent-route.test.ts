import { describe, expect, it } from 'vitest'
import { parseConfigText, type ConfigIo, type ResolvedConfig } from '../config/load-config.js'
import { resolveAgentRoute } from './resolve-agent-route.js'

const io: ConfigIo = { readText: async () => undefined, env: {}, homeDir: '/home/node' }

async function configWith(config: unknown): Promise<ResolvedConfig> {
  const result = await parseConfigText(JSON.stringify(config), '/data/moltbot.json', io)
  if (!result.ok) throw new Error(`invalid test config: ${JSON.stringify(result.issues)}`)
  return result.config
}

const AGENTS = { list: [{ id: 'main', default: true }, { id: 'peer' }, { id: 'guild' }, { id: 'team' }, { id: 'account' }, { id: 'channel' }] }

// One binding per tier, listed from least to most specific so that list order cannot explain the result.
const ALL_TIERS = [
  { agentId: 'channel', match: { channel: 'discord', accountId: '*' } },
  { agentId: 'account', match: { channel: 'discord', accountId: 'work' } },
  { agentId: 'team', match: { channel: 'discord', accountId: '*', teamId: 'T1' } },
  { agentId: 'guild', match: { channel: 'discord', accountId: '*', guildId: 'G1' } },
  { agentId: 'peer', match: { channel: 'discord', accountId: '*', peer: { kind: 'channel', id: 'C1' } } },
]

describe('resolveAgentRoute', () => {
  it('walks the tiers peer > guild > team > account > channel > default', async () => {
    const config = await configWith({ agents: AGENTS, bindings: ALL_TIERS })
    const route = (input: Partial<Parameters<typeof resolveAgentRoute>[0]>) =>
      resolveAgentRoute({ config, channel: 'discord', accountId: 'work', ...input })
    expect(route({ peer: { kind: 'channel', id: 'C1' }, guildId: 'G1', teamId: 'T1' })).toEqual({ agentId: 'peer', matchedBy: 'peer' })
    expect(route({ peer: { kind: 'channel', id: 'C2' }, guildId: 'G1', teamId: 'T1' })).toEqual({ agentId: 'guild', matchedBy: 'guild' })
    expect(route({ peer: { kind: 'group', id: 'C1' }, guildId: 'G2', teamId: 'T1' })).toEqual({ agentId: 'team', matchedBy: 'team' })
    expect(route({ guildId: 'G2' })).toEqual({ agentId: 'account', matchedBy: 'account' })
    expect(route({ accountId: 'other', guildId: 'G2' })).toEqual({ agentId: 'channel', matchedBy: 'channel' })
    expect(route({ channel: 'telegram' })).toEqual({ agentId: 'main', matchedBy: 'default' })
  })

  it('matches a binding without accountId only for the default account', async () => {
    const config = await configWith({ agents: AGENTS, bindings: [{ agentId: 'account', match: { channel: 'discord' } }] })
    expect(resolveAgentRoute({ config, channel: 'discord' })).toEqual({ agentId: 'account', matchedBy: 'account' })
    expect(resolveAgentRoute({ config, channel: 'discord', accountId: 'default' }).agentId).toBe('account')
    expect(resolveAgentRoute({ config, channel: 'discord', accountId: 'work' })).toEqual({ agentId: 'main', matchedBy: 'default' })
  })

  it('takes the first binding within a tier', async () => {
    const config = await configWith({
      agents: AGENTS,
      bindings: [
        { agentId: 'guild', match: { channel: 'discord', peer: { kind: 'dm', id: 'U1' } } },
        { agentId: 'team', match: { channel: 'discord', peer: { kind: 'dm', id: 'U1' } } },
      ],
    })
    expect(resolveAgentRoute({ config, channel: 'discord', peer: { kind: 'dm', id: 'U1' } }).agentId).toBe('guild')
  })

  it('needs every field of a binding to match', async () => {
    const config = await configWith({
      agents: AGENTS,
      bindings: [{ agentId: 'peer', match: { channel: 'discord', guildId: 'G1', peer: { kind: 'channel', id: 'C1' } } }],
    })
    expect(resolveAgentRoute({ config, channel: 'discord', peer: { kind: 'channel', id: 'C1' }, guildId: 'G2' }).matchedBy).toBe('default')
    expect(resolveAgentRoute({ config, channel: 'discord', peer: { kind: 'channel', id: 'C1' }, guildId: 'G1' }).matchedBy).toBe('peer')
  })

  it('falls back to the default agent when the bound agent is not in agents.list', async () => {
    const config = await configWith({
      agents: { list: [{ id: 'ops' }, { id: 'Work' }] },
      bindings: [
        { agentId: 'ghost', match: { channel: 'discord', peer: { kind: 'dm', id: 'U1' } } },
        { agentId: 'WORK', match: { channel: 'discord', peer: { kind: 'dm', id: 'U2' } } },
      ],
    })
    expect(resolveAgentRoute({ config, channel: 'discord', peer: { kind: 'dm', id: 'U1' } })).toEqual({ agentId: 'ops', matchedBy: 'peer' })
    expect(resolveAgentRoute({ config, channel: 'discord', peer: { kind: 'dm', id: 'U2' } }).agentId).toBe('work')
  })

  it('routes to main with no agents or bindings configured', async () => {
    const config = await configWith({})
    expect(resolveAgentRoute({ config, channel: 'discord' })).toEqual({ agentId: 'main', matchedBy: 'default' })
  })
})
