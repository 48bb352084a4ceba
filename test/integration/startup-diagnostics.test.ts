import { afterEach, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeSandbox, spawnCli, startGateway, stopGateway, type RunningProcess } from '../helpers/spawn-gateway.js'

const running: RunningProcess[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => stopGateway(process)))
})

function sandboxEnv(sandbox: ReturnType<typeof makeSandbox>, extra: Record<string, string> = {}) {
  return { HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir, CLAWDBOT_GATEWAY_TOKEN: 'diag-token', ...extra }
}

async function run(args: string[], env: Record<string, string>) {
  const cli = spawnCli(args, env)
  const { code } = await cli.exited
  return { code, stdout: cli.stdout.join('\n'), stderr: cli.stderr.join('\n') }
}

// Issue 16, items 3 and 13: what start-up and `health` say when a key or token is missing.
describe('start-up diagnostics and the health command', () => {
  it('names the missing model key and the Discord token at start, and `health --token` shows models, Discord, sessions and config', async () => {
    const sandbox = makeSandbox()
    writeFileSync(
      join(sandbox.stateDir, 'clawdbot.json'),
      '{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5", fallbacks: ["openai/gpt-4o"] } } }, channels: { discord: { enabled: true } } }',
    )
    const env = sandboxEnv(sandbox)
    const gateway = await startGateway([], env)
    running.push(gateway)
    const output = gateway.output()
    expect(output).toContain('[gateway] agent model: anthropic/claude-opus-4-5 (fallbacks: openai/gpt-4o)')
    expect(output).toContain('model anthropic/claude-opus-4-5 is not usable: No API key found for provider "anthropic". Set ANTHROPIC_API_KEY')
    expect(output).toContain('model openai/gpt-4o is not usable: No API key found for provider "openai". Set OPENAI_API_KEY')
    expect(output).toContain('no model in the chain is usable; every chat will fail until one is')
    expect(output).toContain('discord account default is enabled but has no bot token, so Discord stays off: set DISCORD_BOT_TOKEN')
    expect(output).not.toContain('auth-profiles.json')

    const health = await run(['health', '--url', `http://127.0.0.1:${gateway.port}`, '--token', 'diag-token'], env)
    expect(health.code).toBe(0)
    const lines = health.stdout.split('\n')
    expect(lines[0]).toMatch(/^Gateway healthy at http:\/\/127\.0\.0\.1:\d+ \(version .+, up \d+s\)$/)
    expect(lines).toContain('Models: NOT USABLE: every chat will fail')
    expect(lines).toContain('  anthropic/claude-opus-4-5 (primary): No API key found for provider "anthropic". Set ANTHROPIC_API_KEY (on Fly: fly secrets set ANTHROPIC_API_KEY=...) or models.providers.anthropic.apiKey.')
    expect(lines.find((line) => line.startsWith('Discord: '))).toBeDefined()
    expect(lines).toContain('Sessions: 0 (default agent main)')
    expect(lines).toContain(`Config: ${join(sandbox.stateDir, 'clawdbot.json')}`)

    const publicOnly = await run(['health', '--url', `http://127.0.0.1:${gateway.port}`], { HOME: sandbox.home, CLAWDBOT_STATE_DIR: join(sandbox.root, 'elsewhere') })
    expect(publicOnly.stdout).toContain('Pass --token (or set CLAWDBOT_GATEWAY_TOKEN) to see models, Discord, sessions and config.')
  })

  it('says the models are usable once the key is set', async () => {
    const sandbox = makeSandbox()
    const env = sandboxEnv(sandbox, { ANTHROPIC_API_KEY: 'sk-ant-present' })
    const gateway = await startGateway(['--allow-unconfigured'], env)
    running.push(gateway)
    expect(gateway.output()).not.toMatch(/not usable/)
    const health = await run(['health', '--url', `http://127.0.0.1:${gateway.port}`, '--token', 'diag-token'], env)
    expect(health.stdout).toContain('Models: usable')
    expect(health.stdout).toContain('  anthropic/claude-opus-4-5 (primary): ok')
    expect(health.stdout).toContain('Discord: not configured (set DISCORD_BOT_TOKEN to enable it)')
    expect(health.stdout).toContain(`Config: no file (built-in defaults; create ${join(sandbox.stateDir, 'clawdbot.json')})`)
  })
})
