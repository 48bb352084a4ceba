import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatConfigInvalid } from './format-config-issues.js'
import { loadConfig, parseConfigText, type ConfigIo, type LoadConfigResult } from './load-config.js'

const CONFIG_PATH = '/data/moltbot.json'

function memoryIo(files: Record<string, string> = {}, env: Record<string, string | undefined> = {}): ConfigIo {
  return { readText: async (path) => files[path], env, homeDir: '/home/node' }
}

async function load(config: unknown, io: ConfigIo = memoryIo()): Promise<LoadConfigResult> {
  return parseConfigText(JSON.stringify(config), CONFIG_PATH, io)
}

function expectOk(result: LoadConfigResult): Extract<LoadConfigResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`)
  return result
}

function expectFailure(result: LoadConfigResult): Extract<LoadConfigResult, { ok: false }> {
  if (result.ok) throw new Error('expected the config to be invalid')
  return result
}

describe('loadConfig', () => {
  it('loads the Fly guide sample with no warnings and no legacy keys', async () => {
    const text = readFileSync('test/fixtures/config/fly-guide-sample.json', 'utf8')
    const result = expectOk(await loadConfig('/data/clawdbot.json', memoryIo({ '/data/clawdbot.json': text })))
    expect(result.exists).toBe(true)
    expect(result.warnings).toEqual([])
    expect(result.legacy).toEqual([])
    expect(result.config.gateway).toEqual({ mode: 'local', bind: 'auto' })
    expect(result.config.channels?.discord?.guilds?.YOUR_GUILD_ID?.channels?.general?.allow).toBe(true)
  })

  it('treats a missing file as an empty config with defaults', async () => {
    const result = expectOk(await loadConfig(CONFIG_PATH, memoryIo()))
    expect(result).toMatchObject({ exists: false, raw: undefined, warnings: [], legacy: [], envApplied: [] })
    expect(result.config.agents.defaults.maxConcurrent).toBe(4)
    expect(result.config.agents.defaults.subagents.maxConcurrent).toBe(8)
    expect(result.config.messages.ackReactionScope).toBe('group-mentions')
  })

  it('accepts JSON5 comments, unquoted keys and trailing commas', async () => {
    const text = `{
      // the gateway
      gateway: { mode: 'local', port: 3000, },
    }`
    const result = expectOk(await parseConfigText(text, CONFIG_PATH, memoryIo()))
    expect(result.config.gateway).toEqual({ mode: 'local', port: 3000 })
  })

  it('reports JSON5 syntax errors at the root with upstream wording', async () => {
    const result = expectFailure(await parseConfigText('{a:1,,}', CONFIG_PATH, memoryIo()))
    expect(result.issues).toEqual([
      { path: '', message: "JSON5 parse failed: SyntaxError: JSON5: invalid character ',' at 1:6" },
    ])
    expect(result.raw).toBe('{a:1,,}')
  })

  it('fails on unknown top-level and nested keys and bad enum values', async () => {
    expect(expectFailure(await load({ nope: true })).issues).toEqual([{ path: '', message: 'Unrecognized key: "nope"' }])
    expect(expectFailure(await load({ gateway: { auth: { mode: 'token', tokn: 'x' } } })).issues).toEqual([
      { path: 'gateway.auth', message: 'Unrecognized key: "tokn"' },
    ])
    expect(expectFailure(await load({ gateway: { mode: 'cloud' } })).issues).toEqual([
      { path: 'gateway.mode', message: 'Invalid option: expected one of "local"|"remote"' },
    ])
  })

  it('formats vector 3: gateway.bind "all" is a bare Invalid input', async () => {
    const result = expectFailure(await load({ gateway: { bind: 'all' } }))
    expect(formatConfigInvalid(result, '~/.clawdbot/moltbot.json')).toContain('  - gateway.bind: Invalid input')
  })

  it('formats vector 4: an open DM policy without "*"', async () => {
    const result = expectFailure(await load({ channels: { discord: { dm: { policy: 'open' } } } }))
    expect(formatConfigInvalid(result, CONFIG_PATH).split('\n')).toContain(
      '  - channels.discord.dm.allowFrom: channels.discord.dm.policy="open" requires channels.discord.dm.allowFrom to include "*"',
    )
  })

  it('rejects unknown channel ids and unknown plugin ids', async () => {
    expect(expectFailure(await load({ channels: { carrierpigeon: {} } })).issues).toEqual([
      { path: 'channels.carrierpigeon', message: 'unknown channel id: carrierpigeon' },
    ])
    expect(expectFailure(await load({ plugins: { entries: { nope: {} }, allow: ['discord', 'ghost'] } })).issues).toEqual([
      { path: 'plugins.entries.nope', message: 'plugin not found: nope' },
      { path: 'plugins.allow', message: 'plugin not found: ghost' },
    ])
    expectOk(await load({ plugins: { entries: { discord: { enabled: true } }, deny: ['telegram'] } }))
  })

  it('rejects two agents sharing an agentDir and avatars outside the workspace', async () => {
    const shared = { agents: { list: [{ id: 'a', agentDir: '/data/x' }, { id: 'b', agentDir: '/data/x/' }] } }
    expect(expectFailure(await load(shared)).issues[0].path).toBe('agents.list')
    const avatar = { agents: { list: [{ id: 'a', identity: { avatar: '/etc/passwd' } }, { id: 'b', identity: { avatar: 'https://x/y.png' } }] } }
    expect(expectFailure(await load(avatar)).issues).toEqual([
      {
        path: 'agents.list.0.identity.avatar',
        message: 'identity.avatar must be a workspace-relative path, an http(s) URL, or a data URI',
      },
    ])
    expectOk(await load({ agents: { list: [{ id: 'a', identity: { avatar: 'avatars/me.png' } }] } }))
  })

  it('warns once per unsupported section, including channels we do not run', async () => {
    const result = expectOk(await load({ browser: {}, cron: { enabled: true }, tts: {}, channels: { slack: {} } }))
    expect(result.warnings).toEqual([
      'config: ignoring unsupported section browser',
      'config: ignoring unsupported section tts',
      'config: ignoring unsupported section channels.slack',
    ])
  })

  it('expands ~ in path-like keys only', async () => {
    const result = expectOk(
      await load({
        agents: { defaults: { workspace: '~/clawd', repoRoot: '~' }, list: [{ id: 'a', agentDir: '~/agents/a' }] },
        plugins: { load: { paths: ['~/plugins', '/abs'] } },
        logging: { file: '~/log.txt' },
        messages: { responsePrefix: '~/not-a-path' },
      }),
    )
    expect(result.config.agents.defaults.workspace).toBe('/home/node/clawd')
    expect(result.config.agents.defaults.repoRoot).toBe('/home/node')
    expect(result.config.agents.list?.[0].agentDir).toBe('/home/node/agents/a')
    expect(result.config.plugins?.load?.paths).toEqual(['/home/node/plugins', '/abs'])
    expect(result.config.logging?.file).toBe('/home/node/log.txt')
    expect(result.config.messages.responsePrefix).toBe('~/not-a-path')
  })

  it('warns when several agents claim to be the default', async () => {
    const result = expectOk(await load({ agents: { list: [{ id: 'a', default: true }, { id: 'b', default: true }] } }))
    expect(result.warnings).toEqual(['Multiple agents marked default=true; using the first entry as default.'])
  })
})

describe('loadConfig env handling', () => {
  it('applies the env block only to missing or blank variables and records what it set', async () => {
    const env: Record<string, string | undefined> = { KEEP: 'original', BLANK: '  ' }
    const config = { env: { KEEP: 'new', BLANK: 'filled', FRESH: 'yes', shellEnv: { enabled: true }, vars: { FROM_VARS: 'v' } } }
    const result = expectOk(await load(config, memoryIo({}, env)))
    expect(env).toMatchObject({ KEEP: 'original', BLANK: 'filled', FRESH: 'yes', FROM_VARS: 'v' })
    expect(result.envApplied).toEqual(['BLANK', 'FRESH', 'FROM_VARS'])
  })

  it('applies the env block before ${VAR} substitution', async () => {
    const config = { env: { GATEWAY_SECRET: 's3cret' }, gateway: { auth: { token: '${GATEWAY_SECRET}' } } }
    const result = expectOk(await load(config))
    expect(result.config.gateway?.auth?.token).toBe('s3cret')
  })

  it('reports a missing variable at the config path that referenced it', async () => {
    const result = expectFailure(await load({ gateway: { auth: { token: '${CLAWDBOT_TOKEN}' } } }, memoryIo({}, { CLAWDBOT_TOKEN: '' })))
    expect(result.issues).toEqual([
      { path: 'gateway.auth.token', message: 'Missing env var "CLAWDBOT_TOKEN" referenced at config path: gateway.auth.token' },
    ])
  })

  it('keeps $${X} as a literal ${X} and ignores lower-case names', async () => {
    const result = expectOk(
      await load({ gateway: { remote: { url: '$${HOME} ${lower} ${NAME}' } } }, memoryIo({}, { NAME: 'bot', HOME: '/h' })),
    )
    expect(result.config.gateway?.remote?.url).toBe('${HOME} ${lower} bot')
  })

  it('substitutes inside $include files too', async () => {
    const files = { '/data/gateway.json5': "{ auth: { token: '${TOKEN}' } }" }
    const text = JSON.stringify({ gateway: { $include: './gateway.json5' } })
    const result = expectOk(await parseConfigText(text, CONFIG_PATH, memoryIo(files, { TOKEN: 'abc' })))
    expect(result.config.gateway?.auth?.token).toBe('abc')
  })

  it('never puts secret values into issue messages', async () => {
    const result = expectFailure(await load({ gateway: { auth: { token: 'hunter2', oops: '${MISSING}' } } }))
    expect(JSON.stringify(result.issues)).not.toContain('hunter2')
  })
})
