import { describe, expect, it } from 'vitest'
import { applyDefaults } from './apply-defaults.js'
import { ConfigSchema, type Config } from './schema.js'

function defaults(input: unknown, env: Record<string, string | undefined> = {}) {
  return applyDefaults(ConfigSchema.parse(input), env)
}

describe('applyDefaults', () => {
  it('forces session.mainKey to "main" and warns only for a different key', () => {
    const custom = defaults({ session: { mainKey: 'primary' } })
    expect(custom.config.session?.mainKey).toBe('main')
    expect(custom.warnings).toEqual(['session.mainKey is ignored; main session is always "main".'])
    expect(defaults({ session: { mainKey: 'main' } }).warnings).toEqual([])
    expect(defaults({ session: {} }).config.session?.mainKey).toBeUndefined()
  })

  it('fills lane sizes, compaction mode, ack scope and native command switches without overriding', () => {
    const { config } = defaults({ agents: { defaults: { maxConcurrent: 2, compaction: { mode: 'default' } } }, commands: { native: false } })
    expect(config.agents.defaults).toMatchObject({ maxConcurrent: 2, subagents: { maxConcurrent: 8 }, compaction: { mode: 'default' } })
    expect(config.commands).toEqual({ native: false, nativeSkills: 'auto' })
    expect(defaults({}).config.agents.defaults).toMatchObject({ maxConcurrent: 4, compaction: { mode: 'safeguard' } })
    expect(defaults({}).config.messages.ackReactionScope).toBe('group-mentions')
  })

  it('keeps groupPolicy "allowlist" on the Discord base and every account', () => {
    const { config } = defaults({ channels: { discord: { accounts: { one: {}, two: { token: 't' } } } } })
    expect(config.channels?.discord?.groupPolicy).toBe('allowlist')
    expect(config.channels?.discord?.accounts?.one?.groupPolicy).toBe('allowlist')
    expect(config.channels?.discord?.accounts?.two?.groupPolicy).toBe('allowlist')
  })

  it('adds no Anthropic defaults without Anthropic auth', () => {
    const { config } = defaults({})
    expect(config.agents.defaults.contextPruning).toBeUndefined()
    expect(config.agents.defaults.heartbeat).toBeUndefined()
  })

  it('uses prompt caching on an existing primary entry with an API key, and leaves heartbeats off (issue 14)', () => {
    const input = { agents: { defaults: { models: { 'anthropic/claude-opus-4-5': {} } } } }
    const { config } = defaults(input, { ANTHROPIC_API_KEY: 'sk-ant-api' })
    expect(config.agents.defaults.contextPruning).toEqual({ mode: 'cache-ttl', ttl: '1h' })
    expect(config.agents.defaults.heartbeat).toBeUndefined()
    expect(config.agents.defaults.models?.['anthropic/claude-opus-4-5']).toEqual({
      alias: 'opus',
      params: { cacheControlTtl: '1h' },
    })
  })

  it('does not create a models entry (which would become an allowlist) for prompt caching', () => {
    const { config } = defaults({}, { ANTHROPIC_API_KEY: 'sk-ant-api' })
    expect(config.agents.defaults.models).toBeUndefined()
  })

  it('keeps heartbeats off for OAuth tokens too, and keeps a configured interval as written', () => {
    expect(defaults({}, { ANTHROPIC_OAUTH_TOKEN: 'sk-ant-oat' }).config.agents.defaults.heartbeat).toBeUndefined()
    const profiles: Config['auth'] = { profiles: { 'anthropic:default': { provider: 'anthropic', mode: 'token' } } }
    expect(defaults({ auth: profiles }, { ANTHROPIC_API_KEY: 'k' }).config.agents.defaults.heartbeat).toBeUndefined()
    expect(defaults({ agents: { defaults: { heartbeat: { every: '45m' } } } }, { ANTHROPIC_API_KEY: 'k' }).config.agents.defaults.heartbeat).toEqual({ every: '45m' })
  })

  it('attaches built-in aliases only to entries without one and never steals a taken alias', () => {
    const models = {
      'anthropic/claude-sonnet-4-5': {},
      'openai/gpt-5.2': { alias: 'chat' },
      'anthropic/claude-opus-4-5': {},
      'custom/model': { alias: 'opus' },
    }
    const { config } = defaults({ agents: { defaults: { models } } })
    expect(config.agents.defaults.models).toEqual({
      'anthropic/claude-sonnet-4-5': { alias: 'sonnet' },
      'openai/gpt-5.2': { alias: 'chat' },
      'anthropic/claude-opus-4-5': {},
      'custom/model': { alias: 'opus' },
    })
  })

  it('does not mutate its input', () => {
    const input = ConfigSchema.parse({ session: { mainKey: 'x' } })
    applyDefaults(input, {})
    expect(input).toEqual({ session: { mainKey: 'x' } })
  })
})
