import { afterEach, describe, it, expect } from 'vitest'
import { renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { makeSandbox, spawnCli, startGateway, stopGateway, type RunningProcess } from '../helpers/spawn-gateway.js'

const running: RunningProcess[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => stopGateway(process)))
})

// Editors and `tee` over SSH replace files in different ways; write through a rename like most editors do.
function saveConfig(stateDir: string, name: string, value: unknown) {
  const path = join(stateDir, name)
  writeFileSync(`${path}.tmp`, typeof value === 'string' ? value : JSON.stringify(value, null, 2))
  renameSync(`${path}.tmp`, path)
}

// Without --port the config decides the port: let the OS pick a free one through a throwaway listener.
function pick(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port
      server.close(() => resolve(port))
    })
  })
}

async function status(port: number, token: string) {
  return (await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { authorization: `Bearer ${token}` } })).status
}

describe('config hot reload', () => {
  it('keeps the running config on an invalid edit and applies a valid one without a restart', async () => {
    const sandbox = makeSandbox()
    saveConfig(sandbox.stateDir, 'clawdbot.json', { gateway: { mode: 'local', auth: { token: 'first-token' }, reload: { debounceMs: 50 } } })
    const gateway = await startGateway(['--bind', 'lan'], { HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir })
    running.push(gateway)
    const pid = gateway.child.pid

    saveConfig(sandbox.stateDir, 'clawdbot.json', '{ gateway: { mode: "local", bind: "all", auth: { token: "second-token" } } }')
    const skipped = await gateway.waitForLine(/config reload skipped \(invalid config\): (.*)$/)
    expect(skipped[1]).toContain('gateway.bind: Invalid input')
    expect(await status(gateway.port, 'first-token')).toBe(200)

    saveConfig(sandbox.stateDir, 'clawdbot.json', { gateway: { mode: 'local', auth: { token: 'second-token' }, reload: { debounceMs: 50 } } })
    await gateway.waitForLine(/config reloaded \(gateway\.auth\.token\)/)
    expect(await status(gateway.port, 'second-token')).toBe(200)
    expect(await status(gateway.port, 'first-token')).toBe(401)
    expect(gateway.child.pid).toBe(pid)
    expect(gateway.output()).not.toContain('second-token')
  })

  it('moves the listener to a new port in-process when gateway.port changes', async () => {
    const sandbox = makeSandbox()
    const env = { HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir, CLAWDBOT_GATEWAY_TOKEN: 'port-token' }
    const firstPort = await pick()
    saveConfig(sandbox.stateDir, 'clawdbot.json', { gateway: { mode: 'local', port: firstPort, reload: { debounceMs: 50 } } })
    const gateway = spawnCli(['gateway'], env)
    running.push(gateway)
    await gateway.waitForLine(new RegExp(`listening on ws://127\\.0\\.0\\.1:${firstPort} \\(PID`))

    const secondPort = await pick()
    saveConfig(sandbox.stateDir, 'clawdbot.json', { gateway: { mode: 'local', port: secondPort, reload: { debounceMs: 50 } } })
    await gateway.waitForLine(new RegExp(`listening on ws://127\\.0\\.0\\.1:${secondPort} \\(PID`))
    await gateway.waitForLine(/config reloaded \(gateway\.port\)/)
    expect((await fetch(`http://127.0.0.1:${secondPort}/health`)).status).toBe(200)
    await expect(fetch(`http://127.0.0.1:${firstPort}/health`)).rejects.toThrow()
  })

  it('picks up a clawdbot.json written after an unconfigured start (the Fly guide flow)', async () => {
    const sandbox = makeSandbox()
    const gateway = await startGateway(['--allow-unconfigured', '--bind', 'lan'], {
      HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir, CLAWDBOT_GATEWAY_TOKEN: 'fly-token-1',
    })
    running.push(gateway)
    saveConfig(sandbox.stateDir, 'clawdbot.json', { agents: { defaults: { model: { primary: 'openai/gpt-4o' } } } })
    await gateway.waitForLine(/config reloaded \(.*agents\.defaults\.model.*\)/)
    const report = await (await fetch(`http://127.0.0.1:${gateway.port}/api/health`, { headers: { authorization: 'Bearer fly-token-1' } })).json()
    expect(report.config).toMatchObject({ exists: true, path: join(sandbox.stateDir, 'clawdbot.json') })
  })

  it('refuses an edit that would leave a public bind without auth, keeping the old settings', async () => {
    const sandbox = makeSandbox()
    saveConfig(sandbox.stateDir, 'clawdbot.json', { gateway: { mode: 'local', bind: 'lan', auth: { token: 'keep-me-1' }, reload: { debounceMs: 50 } } })
    const gateway = await startGateway([], { HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir })
    running.push(gateway)
    saveConfig(sandbox.stateDir, 'clawdbot.json', { gateway: { mode: 'local', bind: 'lan', reload: { debounceMs: 50 } } })
    const refused = await gateway.waitForLine(/config change not applied; the running settings stay: (.*)$/)
    expect(refused[1]).toContain('Gateway auth is set to token, but no token is configured.')
    expect(await status(gateway.port, 'keep-me-1')).toBe(200)
  })
})
