import { describe, expect, it } from 'vitest'
import { toConfigIssues } from './config-issue.js'
import { ConfigSchema } from './schema.js'

function issuesOf(input: unknown) {
  const result = ConfigSchema.safeParse(input)
  return result.success ? [] : toConfigIssues(result.error)
}

describe('ConfigSchema', () => {
  it('accepts an empty object', () => {
    expect(ConfigSchema.safeParse({}).success).toBe(true)
  })

  it('reports unknown top-level keys at the root', () => {
    expect(issuesOf({ foo: 1 })).toEqual([{ path: '', message: 'Unrecognized key: "foo"' }])
  })

  it('reports unknown nested keys at the containing object', () => {
    expect(issuesOf({ gateway: { customBindHost: '10.0.0.1', bogus: true, other: 1 } })).toEqual([
      { path: 'gateway', message: 'Unrecognized keys: "bogus", "other"' },
    ])
    expect(issuesOf({ channels: { discord: { guilds: { g: { channels: { c: { colour: 'red' } } } } } } })).toEqual([
      { path: 'channels.discord.guilds.g.channels.c', message: 'Unrecognized key: "colour"' },
    ])
  })

  it('uses the enum message for gateway.mode and a bare "Invalid input" for gateway.bind', () => {
    expect(issuesOf({ gateway: { mode: 'cloud' } })).toEqual([
      { path: 'gateway.mode', message: 'Invalid option: expected one of "local"|"remote"' },
    ])
    expect(issuesOf({ gateway: { bind: 'all' } })).toEqual([{ path: 'gateway.bind', message: 'Invalid input' }])
  })

  it('reports type errors with the zod v4 wording', () => {
    expect(issuesOf({ gateway: { port: '3000' } })).toEqual([
      { path: 'gateway.port', message: 'Invalid input: expected number, received string' },
    ])
  })

  it('rejects agents.list[].systemPrompt', () => {
    expect(issuesOf({ agents: { list: [{ id: 'main', systemPrompt: 'be nice' }] } })).toEqual([
      { path: 'agents.list.0', message: 'Unrecognized key: "systemPrompt"' },
    ])
  })

  it('accepts gateway.customBindHost, a loose tls block and the chat completions endpoint', () => {
    const input = {
      gateway: {
        customBindHost: '10.0.0.5',
        tls: { enabled: true, somethingNew: 1 },
        http: { endpoints: { chatCompletions: { enabled: true } } },
      },
    }
    expect(issuesOf(input)).toEqual([])
  })

  it('accepts any value in unsupported sections and unknown channel ids pass the schema', () => {
    expect(issuesOf({ browser: { anything: [1, 2] }, tts: 'x', broadcast: 5, channels: { slack: { a: 1 } } })).toEqual(
      [],
    )
  })

  it('accepts plugins.entries.discord', () => {
    expect(issuesOf({ plugins: { entries: { discord: { enabled: true } } } })).toEqual([])
  })

  it('requires "*" in allowFrom when the Discord DM policy is open, on the base and on accounts', () => {
    expect(issuesOf({ channels: { discord: { dm: { policy: 'open' } } } })).toEqual([
      {
        path: 'channels.discord.dm.allowFrom',
        message: 'channels.discord.dm.policy="open" requires channels.discord.dm.allowFrom to include "*"',
      },
    ])
    expect(issuesOf({ channels: { discord: { accounts: { work: { dm: { policy: 'open', allowFrom: ['1'] } } } } } }))
      .toEqual([
        {
          path: 'channels.discord.accounts.work.dm.allowFrom',
          message:
            'channels.discord.accounts.work.dm.policy="open" requires channels.discord.accounts.work.dm.allowFrom to include "*"',
        },
      ])
    expect(issuesOf({ channels: { discord: { dm: { policy: 'open', allowFrom: ['*'] } } } })).toEqual([])
  })

  it('defaults groupPolicy on the Discord base and every account, and dm.policy when dm exists', () => {
    const parsed = ConfigSchema.parse({ channels: { discord: { dm: {}, accounts: { a: {}, b: { groupPolicy: 'open' } } } } })
    expect(parsed.channels?.discord?.groupPolicy).toBe('allowlist')
    expect(parsed.channels?.discord?.dm?.policy).toBe('pairing')
    expect(parsed.channels?.discord?.accounts?.a?.groupPolicy).toBe('allowlist')
    expect(parsed.channels?.discord?.accounts?.b?.groupPolicy).toBe('open')
    expect(parsed.channels?.discord?.accounts?.a?.dm).toBeUndefined()
  })

  it('rejects non-string extra keys in the env block', () => {
    expect(issuesOf({ env: { PORT: 3000 } })).toEqual([
      { path: 'env.PORT', message: 'Invalid input: expected string, received number' },
    ])
  })

  it('validates session reset settings from §5.4', () => {
    const session = {
      dmScope: 'per-peer',
      reset: { mode: 'daily', atHour: 4 },
      resetByType: { thread: { mode: 'idle', idleMinutes: 30 } },
      resetByChannel: { discord: { mode: 'idle' } },
      identityLinks: { alice: ['discord:1', 'telegram:2'] },
      resetTriggers: ['/new'],
      idleMinutes: 10,
      store: '~/sessions/{agentId}.json',
      mainKey: 'main',
      scope: 'per-sender',
    }
    expect(issuesOf({ session })).toEqual([])
    expect(issuesOf({ session: { reset: { atHour: 24 } } })).toHaveLength(1)
  })
})
