import { afterEach, describe, it, expect } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeSandbox, spawnCli, startGateway, stopGateway, type RunningProcess } from '../helpers/spawn-gateway.js'
import { VERSION } from '../../src/version.js'

const running: RunningProcess[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => stopGateway(process)))
})

async function run(args: string[], env: Record<string, string>) {
  const cli = spawnCli(args, env)
  const { code } = await cli.exited
  return { code, stdout: cli.stdout.join('\n'), stderr: cli.stderr.join('\n') }
}

describe('CLI', () => {
  it('prints the version and help', async () => {
    const sandbox = makeSandbox()
    expect(await run(['--version'], { HOME: sandbox.home })).toMatchObject({ code: 0, stdout: VERSION })
    const help = await run(['gateway', '--help'], { HOME: sandbox.home })
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--allow-unconfigured')
  })

  it('rejects an unknown flag with the message and the usage, exit 1', async () => {
    const sandbox = makeSandbox()
    const result = await run(['gateway', '--bogus'], { HOME: sandbox.home })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("error: unknown option '--bogus'")
    expect(result.stderr).toContain('Usage: clawdbot-edge gateway')
  })
})

describe('config validate', () => {
  it('passes a valid file and fails an invalid one with every issue', async () => {
    const sandbox = makeSandbox()
    const env = { HOME: sandbox.home, CLAWDBOT_STATE_DIR: sandbox.stateDir }
    const path = join(sandbox.stateDir, 'clawdbot.json')
    writeFileSync(path, '{ gateway: { mode: "local" }, } // JSON5 is fine')
    expect(await run(['config', 'validate'], env)).toMatchObject({ code: 0, stdout: expect.stringContaining('Config valid') })

    writeFileSync(path, JSON.stringify({ gateway: { bind: 'all', mode: 'nope' }, bogus: 1 }))
    const invalid = await run(['config', 'validate'], env)
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toContain('Config invalid')
    expect(invalid.stderr).toContain('- gateway.bind: Invalid input')
    expect(invalid.stderr).toContain('- gateway.mode: Invalid option: expected one of "local"|"remote"')
    expect(invalid.stderr).toContain('- <root>: Unrecognized key: "bogus"')
  })

  it('names clawdbot.json, the file a user would create, when there is none (issue 16, item 11)', async () => {
    const sandbox = makeSandbox()
    const result = await run(['config', 'validate'], { HOME: sandbox.home, CLAWDBOT_STATE_DIR: sandbox.stateDir })
    expect(result).toMatchObject({ code: 0, stdout: `No config file at ${join(sandbox.stateDir, 'clawdbot.json')}; the gateway runs on built-in defaults.` })
  })

  it('reports legacy keys as problems like upstream, and supports --path and --json', async () => {
    const sandbox = makeSandbox()
    const path = join(sandbox.root, 'other.json')
    writeFileSync(path, JSON.stringify({ gateway: { token: 'x' } }))
    const result = await run(['config', 'validate', '--path', path], { HOME: sandbox.home })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Legacy config keys detected:')
    expect(result.stderr).toContain('gateway.token is ignored; use gateway.auth.token instead (auto-migrated on load).')
    const json = await run(['config', 'validate', '--path', path, '--json'], { HOME: sandbox.home })
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, legacy: [{ path: 'gateway.token' }] })
    expect((await run(['config', 'validate', '--path', join(sandbox.root, 'missing.json')], { HOME: sandbox.home })).code).toBe(1)
  })
})

describe('health', () => {
  it('is healthy against a running gateway and unhealthy when nothing listens', async () => {
    const sandbox = makeSandbox()
    const env = { HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir, CLAWDBOT_GATEWAY_TOKEN: 'health-token' }
    const gateway = await startGateway(['--allow-unconfigured'], env)
    running.push(gateway)
    const url = `http://127.0.0.1:${gateway.port}`
    const healthy = await run(['health', '--url', url], env)
    expect(healthy.code).toBe(0)
    expect(healthy.stdout).toContain('Gateway healthy')
    const json = await run(['health', '--url', url, '--json'], env)
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, defaultAgentId: 'main' })
    const wrongToken = await run(['health', '--url', url, '--token', 'nope'], env)
    expect(wrongToken.code).toBe(1)
    expect(wrongToken.stderr).toContain('refused the token (401)')

    await stopGateway(gateway)
    const down = await run(['health', '--url', url, '--timeout', '2000'], env)
    expect(down.code).toBe(1)
    expect(down.stderr).toContain('Gateway unreachable')
  })
})
