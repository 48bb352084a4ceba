import { describe, expect, it } from 'vitest'
import { formatConfigInvalid } from './format-config-issues.js'
import { parseConfigText } from './load-config.js'
import { migrateLegacyConfig } from './migrate-legacy.js'

const io = () => ({ readText: async () => undefined, env: {}, homeDir: '/home/node' })

describe('migrateLegacyConfig', () => {
  it('moves gateway.token to gateway.auth.token without overriding an explicit auth token', () => {
    expect(migrateLegacyConfig({ gateway: { token: 'x' } })).toEqual({
      config: { gateway: { auth: { token: 'x' } } },
      legacy: [
        { path: 'gateway.token', message: 'gateway.token is ignored; use gateway.auth.token instead (auto-migrated on load).' },
      ],
    })
    expect(migrateLegacyConfig({ gateway: { token: 'old', auth: { token: 'new' } } }).config).toEqual({
      gateway: { auth: { token: 'new' } },
    })
  })

  it('moves top-level channel blocks under channels, keeping existing channel values', () => {
    const { config, legacy } = migrateLegacyConfig({
      discord: { token: 'legacy', historyLimit: 5 },
      channels: { discord: { token: 'current' } },
    })
    expect(config).toEqual({ channels: { discord: { token: 'current', historyLimit: 5 } } })
    expect(legacy).toEqual([{ path: 'discord', message: 'discord config moved to channels.discord (auto-migrated on load).' }])
  })

  it('moves agent, identity and routing keys to their current homes', () => {
    const { config, legacy } = migrateLegacyConfig({
      agent: { model: 'anthropic/claude-sonnet-4-5', workspace: '~/clawd' },
      identity: { name: 'Clawd', emoji: '🦞' },
      routing: {
        agents: { helper: { name: 'Helper' } },
        bindings: [{ agentId: 'helper', match: { channel: 'discord' } }],
        queue: { mode: 'followup' },
      },
    })
    expect(config).toEqual({
      agents: {
        defaults: { model: { primary: 'anthropic/claude-sonnet-4-5' }, workspace: '~/clawd' },
        list: [{ id: 'helper', name: 'Helper', identity: { name: 'Clawd', emoji: '🦞' } }],
      },
      bindings: [{ agentId: 'helper', match: { channel: 'discord' } }],
      messages: { queue: { mode: 'followup' } },
    })
    expect(legacy.map((issue) => issue.path)).toEqual(['agent', 'routing.agents', 'routing.bindings', 'routing.queue', 'identity'])
  })

  it('gives identity to the default agent, creating "main" when there is no list', () => {
    const withList = migrateLegacyConfig({ identity: { name: 'B' }, agents: { list: [{ id: 'a' }, { id: 'b', default: true }] } })
    expect(withList.config).toEqual({ agents: { list: [{ id: 'a' }, { id: 'b', default: true, identity: { name: 'B' } }] } })
    expect(migrateLegacyConfig({ identity: { name: 'M' } }).config).toEqual({ agents: { list: [{ id: 'main', identity: { name: 'M' } }] } })
  })

  it('replaces messages.tts.enabled with messages.tts.auto', () => {
    expect(migrateLegacyConfig({ messages: { tts: { enabled: true } } }).config).toEqual({ messages: { tts: { auto: 'always' } } })
  })

  it('leaves unknown routing keys in place for validation and does not touch its input', () => {
    const input = { routing: { queue: {}, allowFrom: ['1'] } }
    expect(migrateLegacyConfig(input).config).toMatchObject({ routing: { allowFrom: ['1'] } })
    expect(input.routing.queue).toEqual({})
  })
})

describe('legacy keys through the load pipeline (vector 3)', () => {
  it('migrates gateway.token in memory with one summary warning and can render the Config invalid block', async () => {
    const result = await parseConfigText('{"gateway":{"token":"x"}}', '/data/moltbot.json', io())
    if (!result.ok) throw new Error('legacy keys alone must not make the config invalid')
    expect(result.config.gateway?.auth?.token).toBe('x')
    expect(result.warnings).toEqual([
      'config: migrated legacy keys in memory (gateway.token); run node dist/index.js doctor --fix to update the file',
    ])
    expect(formatConfigInvalid(result, '~/.clawdbot/moltbot.json')).toBe(
      [
        'Config invalid',
        'File: ~/.clawdbot/moltbot.json',
        'Problem:',
        '  - gateway.token: gateway.token is ignored; use gateway.auth.token instead (auto-migrated on load).',
        'Legacy config keys detected:',
        '  - gateway.token: gateway.token is ignored; use gateway.auth.token instead (auto-migrated on load).',
        '',
        'Run: node dist/index.js doctor --fix',
      ].join('\n'),
    )
  })

  it('keeps the legacy list on a result that is also invalid', async () => {
    const result = await parseConfigText('{"gateway":{"token":"x","bind":"all"}}', '/data/moltbot.json', io())
    expect(result.ok).toBe(false)
    expect(result.legacy.map((issue) => issue.path)).toEqual(['gateway.token'])
  })
})
