import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeSandbox, startGateway, stopGateway, type RunningProcess } from '../helpers/spawn-gateway.js'
import { openTestClient } from '../helpers/ws-client.js'

const running: RunningProcess[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => stopGateway(process)))
})

describe('control socket in the built gateway (dist)', () => {
  it('connects, saves config through the real reloader, and closes sockets with 1012 on SIGTERM', async () => {
    const sandbox = makeSandbox()
    const configPath = join(sandbox.stateDir, 'clawdbot.json')
    writeFileSync(configPath, JSON.stringify({ gateway: { mode: 'local', auth: { token: 'cli-token-1234' } } }, null, 2))
    const gateway = await startGateway([], { HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir })
    running.push(gateway)

    const client = await openTestClient(`ws://127.0.0.1:${gateway.port}/`, { token: 'cli-token-1234' })
    expect((await client.connect()).ok).toBe(true)
    const { hash } = (await client.request('config.get', {})).payload
    const next = JSON.stringify({ gateway: { mode: 'local', auth: { token: 'cli-token-1234' } }, agents: { defaults: { model: { primary: 'openai/gpt-4o' } } } }, null, 2)
    const saved = await client.request('config.set', { raw: next, baseHash: hash })
    expect(saved.payload).toMatchObject({ ok: true, path: configPath, reload: { ok: true } })
    expect(readFileSync(configPath, 'utf8')).toBe(`${next}\n`)
    expect((await client.request('models.list', {})).payload.models[0]).toMatchObject({ id: 'gpt-4o', provider: 'openai' })
    expect((await fetch(`http://127.0.0.1:${gateway.port}/health`)).status).toBe(200)

    gateway.child.kill('SIGTERM')
    expect(await client.closed).toEqual({ code: 1012, reason: 'service restart' })
    expect((await gateway.exited).code).toBe(0)
  })
})
