import { afterEach, describe, it, expect } from 'vitest'
import { copyFileSync, existsSync, readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { spawnSync } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { makeSandbox, spawnCli, startGateway, stopGateway, type RunningProcess } from '../helpers/spawn-gateway.js'
import { gatewayLockPath } from '../../src/runtime/node/gateway-lock.js'

const FLY_SAMPLE = resolve(import.meta.dirname, '../fixtures/config/fly-guide-sample.json')
const running: RunningProcess[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => stopGateway(process)))
})

function sandboxEnv(sandbox: ReturnType<typeof makeSandbox>, extra: Record<string, string> = {}) {
  return { HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir, ...extra }
}

async function start(args: string[], env: Record<string, string>) {
  const gateway = await startGateway(args, env)
  running.push(gateway)
  return gateway
}

describe('gateway start-up', () => {
  it('refuses --bind lan without a token, with upstream text (spec vector 1)', async () => {
    const sandbox = makeSandbox()
    const cli = spawnCli(['gateway', '--allow-unconfigured', '--port', '0', '--bind', 'lan'], sandboxEnv(sandbox))
    expect((await cli.exited).code).toBe(1)
    expect(cli.stderr).toEqual([
      'Gateway auth is set to token, but no token is configured.',
      'Set gateway.auth.token (or CLAWDBOT_GATEWAY_TOKEN), or pass --token.',
    ])
  })

  it('listens on 0.0.0.0 with a token and answers /health (spec vector 2)', async () => {
    const sandbox = makeSandbox()
    const gateway = await start(['--allow-unconfigured', '--bind', 'lan'], sandboxEnv(sandbox, { CLAWDBOT_GATEWAY_TOKEN: 'tok-vector-2' }))
    expect(gateway.stdout.some((line) => /^\d{4}-\d\d-\d\dT[\d:.]+Z \[gateway\] listening on ws:\/\/0\.0\.0\.0:\d+ \(PID \d+\)$/.test(line))).toBe(true)
    const response = await fetch(`http://127.0.0.1:${gateway.port}/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ ok: true, version: expect.any(String) })
    const api = await fetch(`http://127.0.0.1:${gateway.port}/api/health`, { headers: { authorization: 'Bearer tok-vector-2' } })
    expect(api.status).toBe(200)
    expect(gateway.output()).not.toContain('tok-vector-2')
  })

  it('needs a config or --allow-unconfigured (spec vector 2, second half)', async () => {
    const sandbox = makeSandbox()
    const cli = spawnCli(['gateway', '--port', '0', '--bind', 'lan'], sandboxEnv(sandbox, { CLAWDBOT_GATEWAY_TOKEN: 'x-token' }))
    expect((await cli.exited).code).toBe(1)
    expect(cli.stderr).toEqual(['Missing config. Run `moltbot setup` or set gateway.mode=local (or pass --allow-unconfigured).'])

    writeFileSync(join(sandbox.stateDir, 'clawdbot.json'), '{ gateway: { mode: "remote" } }')
    const blocked = spawnCli(['gateway', '--port', '0'], sandboxEnv(sandbox, { CLAWDBOT_GATEWAY_TOKEN: 'x-token' }))
    expect((await blocked.exited).code).toBe(1)
    expect(blocked.stderr).toEqual(['Gateway start blocked: set gateway.mode=local (current: remote) or pass --allow-unconfigured.'])
  })

  it('starts cleanly with the Fly guide sample config and warns about none of its keys', async () => {
    const sandbox = makeSandbox()
    copyFileSync(FLY_SAMPLE, join(sandbox.stateDir, 'clawdbot.json'))
    const gateway = await start(['--allow-unconfigured', '--bind', 'lan'], sandboxEnv(sandbox, { CLAWDBOT_GATEWAY_TOKEN: 'fly-token' }))
    expect(gateway.output()).toContain('[gateway] agent model: anthropic/claude-opus-4-5')
    expect(gateway.stdout.filter((line) => / (warn|error): /.test(line))).toEqual([])
    expect(gateway.stderr).toEqual([])
    expect((await fetch(`http://127.0.0.1:${gateway.port}/health`)).status).toBe(200)
  })

  it('prints the Config invalid block and exits 1 on a bad config (spec vector 3)', async () => {
    const sandbox = makeSandbox()
    writeFileSync(join(sandbox.stateDir, 'clawdbot.json'), JSON.stringify({ gateway: { bind: 'all', token: 'x' } }))
    const cli = spawnCli(['gateway', '--allow-unconfigured', '--port', '0'], sandboxEnv(sandbox))
    expect((await cli.exited).code).toBe(1)
    const text = cli.stderr.join('\n')
    expect(text).toContain('Config invalid')
    expect(text).toContain('- gateway.bind: Invalid input')
    expect(text).toContain('Legacy config keys detected:')
    expect(text).toContain('Run: moltbot doctor --fix')
  })

  it('migrates a legacy gateway.token in memory with one warning and never writes the config', async () => {
    const sandbox = makeSandbox()
    const path = join(sandbox.stateDir, 'clawdbot.json')
    const original = JSON.stringify({ gateway: { mode: 'local', token: 'legacy-token-1' } })
    writeFileSync(path, original)
    const gateway = await start(['--bind', 'lan'], sandboxEnv(sandbox))
    expect(gateway.stdout.filter((line) => line.includes('warn:') && line.includes('gateway.token'))).toHaveLength(1)
    const api = await fetch(`http://127.0.0.1:${gateway.port}/api/health`, { headers: { authorization: 'Bearer legacy-token-1' } })
    expect(api.status).toBe(200)
    expect(readFileSync(path, 'utf8')).toBe(original)
  })

  it('generates a token on loopback and logs a ready-to-open Control UI URL', async () => {
    const sandbox = makeSandbox()
    const gateway = await start(['--allow-unconfigured'], sandboxEnv(sandbox))
    const [, port, token] = await gateway.waitForLine(/Control UI: http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{48})$/)
    expect(Number(port)).toBe(gateway.port)
    const api = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { authorization: `Bearer ${token}` } })
    expect(api.status).toBe(200)
  })
})

describe('gateway lock', () => {
  it('removes leftover locks (old state-dir lock, dead pid, own pid) and starts (spec vector 7)', async () => {
    const sandbox = makeSandbox()
    const configPath = join(sandbox.stateDir, 'moltbot.json')
    writeFileSync(join(sandbox.stateDir, 'gateway.abcd1234.lock'), JSON.stringify({ pid: 1, createdAt: new Date().toISOString() }))
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
    const lockPath = gatewayLockPath(configPath, sandbox.tmp)
    mkdirSync(resolve(lockPath, '..'), { recursive: true })
    writeFileSync(lockPath, JSON.stringify({ pid: Number(dead.stdout), createdAt: new Date().toISOString(), configPath }))

    const gateway = await start(['--allow-unconfigured', '--bind', 'lan'], sandboxEnv(sandbox, { CLAWDBOT_GATEWAY_TOKEN: 'lock-token' }))
    expect(gateway.output()).toContain(join(sandbox.stateDir, 'gateway.abcd1234.lock'))
    expect(existsSync(join(sandbox.stateDir, 'gateway.abcd1234.lock'))).toBe(false)
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(gateway.child.pid)
  })

  it('refuses a second gateway on the same config with upstream text, and releases the lock on SIGTERM', async () => {
    const sandbox = makeSandbox()
    const env = sandboxEnv(sandbox, { CLAWDBOT_GATEWAY_TOKEN: 'lock-token' })
    const first = await start(['--allow-unconfigured'], env)
    const second = spawnCli(['gateway', '--allow-unconfigured', '--port', '0'], env)
    expect((await second.exited).code).toBe(1)
    expect(second.stderr).toEqual([
      `Gateway failed to start: gateway already running (pid ${first.child.pid}); lock timeout after 5000ms`,
      'If the gateway is supervised, stop it with: moltbot gateway stop',
    ])

    const lockPath = gatewayLockPath(join(sandbox.stateDir, 'moltbot.json'), sandbox.tmp)
    expect(existsSync(lockPath)).toBe(true)
    const exit = await stopGateway(first)
    expect(exit.code).toBe(0)
    expect(first.output()).toContain('[gateway] received SIGTERM; shutting down')
    expect(existsSync(lockPath)).toBe(false)
    expect(readdirSync(resolve(lockPath, '..'))).toEqual([])
  })

  it('lets two gateways run with CLAWDBOT_ALLOW_MULTI_GATEWAY=1', async () => {
    const sandbox = makeSandbox()
    const env = sandboxEnv(sandbox, { CLAWDBOT_GATEWAY_TOKEN: 'multi-token', CLAWDBOT_ALLOW_MULTI_GATEWAY: '1' })
    const first = await start(['--allow-unconfigured'], env)
    const second = await start(['--allow-unconfigured'], env)
    expect(first.port).not.toBe(second.port)
  })

  it('says another gateway is listening when the port is taken', async () => {
    const sandbox = makeSandbox()
    const first = await start(['--allow-unconfigured'], sandboxEnv(sandbox, { CLAWDBOT_GATEWAY_TOKEN: 't-one-two' }))
    const other = makeSandbox()
    const cli = spawnCli(['gateway', '--allow-unconfigured', '--port', String(first.port)], sandboxEnv(other, { CLAWDBOT_GATEWAY_TOKEN: 't-one-two' }))
    expect((await cli.exited).code).toBe(1)
    expect(cli.stderr[0]).toBe(`Gateway failed to start: another gateway instance is already listening on ws://127.0.0.1:${first.port}`)
  })

  // Issue 10, finding 5: an unrelated program on [::1]:<port> (127.0.0.1 free) was reported as another gateway.
  it('names an unrelated program holding the port instead of blaming another gateway', async () => {
    const holder = createServer((_request, response) => response.writeHead(404).end('not here'))
    await new Promise<void>((resolve) => holder.listen({ port: 0, host: '::1', ipv6Only: true }, resolve))
    try {
      const port = (holder.address() as AddressInfo).port
      const sandbox = makeSandbox()
      const cli = spawnCli(['gateway', '--allow-unconfigured', '--port', String(port)], sandboxEnv(sandbox, { CLAWDBOT_GATEWAY_TOKEN: 't-three' }))
      expect((await cli.exited).code).toBe(1)
      expect(cli.stderr[0]).toMatch(new RegExp(`^Gateway failed to start: \\[::1\\]:${port} is already in use by another program \\(pid ${process.pid}: .+\\), not a gateway\\.$`))
      expect(cli.stderr[1]).toBe(`Stop that program, pick another port with --port, or pass --force to stop whatever listens on ${port}.`)
      expect(cli.stderr.join('\n')).not.toContain('another gateway instance')
    } finally {
      await new Promise((resolve) => holder.close(resolve))
    }
  })
})

describe('gateway shutdown', () => {
  it('exits 0 on SIGINT too, logging upstream lines', async () => {
    const sandbox = makeSandbox()
    const gateway = await start(['--allow-unconfigured'], sandboxEnv(sandbox, { CLAWDBOT_GATEWAY_TOKEN: 'sigint-token' }))
    gateway.child.kill('SIGINT')
    expect((await gateway.exited).code).toBe(0)
    expect(gateway.output()).toContain('[gateway] signal SIGINT received')
  })
})
