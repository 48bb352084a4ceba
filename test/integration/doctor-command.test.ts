import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startFakeDiscord, type FakeDiscordServer } from '../helpers/fake-discord-server.js'
import { makeSandbox, spawnCli, startGateway, stopGateway, type RunningProcess } from '../helpers/spawn-gateway.js'

const running: RunningProcess[] = []
const servers: FakeDiscordServer[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => stopGateway(process)))
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

function sandboxEnv(sandbox: ReturnType<typeof makeSandbox>, extra: Record<string, string> = {}) {
  return { HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir, ...extra }
}

async function doctor(args: string[], env: Record<string, string>) {
  const cli = spawnCli(['doctor', ...args], env)
  const { code } = await cli.exited
  return { code, lines: cli.stdout, stderr: cli.stderr.join('\n') }
}

const LEGACY = `{
  // my gateway
  gateway: { mode: "local", token: "legacy-token-1" },
}
`

// Issue 16, item 10.
describe('doctor', () => {
  it('fails on a missing model key, warns about legacy keys, and --fix migrates them keeping a backup', async () => {
    const sandbox = makeSandbox()
    const path = join(sandbox.stateDir, 'clawdbot.json')
    writeFileSync(path, LEGACY)
    const before = await doctor([], sandboxEnv(sandbox))
    expect(before.code).toBe(1)
    expect(before.lines).toContain(`[ok  ] config: ${path} is valid`)
    expect(before.lines).toContain('[warn] config: legacy keys (gateway.token) are migrated in memory on every start; run node dist/index.js doctor --fix to update the file')
    expect(before.lines.find((line) => line.startsWith('[ok  ] state dir: '))).toMatch(new RegExp(`^\\[ok  \\] state dir: ${sandbox.stateDir} is writable`))
    expect(before.lines).toContain('[FAIL] models: anthropic/claude-opus-4-5 (primary): No API key found for provider "anthropic". Set ANTHROPIC_API_KEY (on Fly: fly secrets set ANTHROPIC_API_KEY=...) or models.providers.anthropic.apiKey.')
    expect(before.lines).toContain('[ok  ] lock: free: no gateway is running on this state dir')
    expect(before.lines.at(-1)).toBe('1 problem found, 1 warning.')
    expect(readFileSync(path, 'utf8')).toBe(LEGACY)

    const fixed = await doctor(['--fix'], sandboxEnv(sandbox, { ANTHROPIC_API_KEY: 'sk-ant-doctor' }))
    expect(fixed.code).toBe(0)
    expect(fixed.lines).toContain(`[ok  ] config: migrated legacy keys (gateway.token); the previous file is kept as ${path}.bak (its comments are there too)`)
    expect(fixed.lines).toContain('[ok  ] models: anthropic/claude-opus-4-5 (primary): key found')
    expect(fixed.lines.at(-1)).toBe('All good.')
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(LEGACY)
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ gateway: { mode: 'local', auth: { token: 'legacy-token-1' } } })
    expect((await doctor([], sandboxEnv(sandbox, { ANTHROPIC_API_KEY: 'sk-ant-doctor' }))).lines.at(-1)).toBe('All good.')
  })

  it('fails on an invalid config with every issue', async () => {
    const sandbox = makeSandbox()
    writeFileSync(join(sandbox.stateDir, 'clawdbot.json'), '{ gateway: { bind: "all" } }')
    const result = await doctor([], sandboxEnv(sandbox))
    expect(result.code).toBe(1)
    expect(result.lines.join('\n')).toContain('is invalid:\n    - gateway.bind: Invalid input')
  })

  it('checks the Discord token against the API and reports a running gateway holding the lock', async () => {
    const discord = await startFakeDiscord({ botToken: 'good-token', application: { id: '1', verify_key: 'ab'.repeat(32) } })
    servers.push(discord)
    const sandbox = makeSandbox()
    const env = sandboxEnv(sandbox, { ANTHROPIC_API_KEY: 'sk', DISCORD_API_BASE_URL: discord.url, CLAWDBOT_GATEWAY_TOKEN: 'doc-token', CLAWDBOT_SKIP_CHANNELS: '1' })
    const good = await doctor(['--json'], { ...env, DISCORD_BOT_TOKEN: 'good-token' })
    const report = JSON.parse(good.lines.join('\n'))
    expect(report.ok).toBe(true)
    expect(report.findings).toContainEqual({ check: 'discord', status: 'ok', message: 'account default: token accepted (bot Clawd)' })

    const bad = await doctor([], { ...env, DISCORD_BOT_TOKEN: 'wrong-token' })
    expect(bad.code).toBe(1)
    expect(bad.lines).toContain('[FAIL] discord: account default: Discord rejected the bot token (401); check DISCORD_BOT_TOKEN or channels.discord.token')

    const gateway = await startGateway(['--allow-unconfigured'], env)
    running.push(gateway)
    const locked = await doctor([], env)
    expect(locked.lines.find((line) => line.startsWith('[ok  ] lock: '))).toMatch(new RegExp(`held by a running gateway \\(pid ${gateway.child.pid}\\)`))
  })

  it('is listed in the help', async () => {
    const sandbox = makeSandbox()
    const help = spawnCli(['--help'], { HOME: sandbox.home })
    await help.exited
    expect(help.stdout.join('\n')).toContain('doctor [--fix]')
  })
})
