import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readRegularFile, realPathOrUndefined } from '../../src/runtime/node/read-regular-file.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type TestClient } from '../helpers/ws-client.js'

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function connected() {
  const gateway = await startTestGateway({ configText: '{ gateway: { mode: "local" }, agents: { list: [{ id: "main" }, { id: "ops" }] } }\n' })
  cleanups.push(gateway.close)
  gateway.deps.readTextFile = (path) => readRegularFile(path)
  gateway.deps.realPath = realPathOrUndefined
  const socket: TestClient = await openTestClient(gateway.url, { token: TEST_TOKEN })
  cleanups.push(() => socket.close())
  expect((await socket.connect()).ok).toBe(true)
  return { gateway, socket }
}

async function storageKeys(gateway: Awaited<ReturnType<typeof startTestGateway>>) {
  return (await gateway.deps.storage.getKeys()).sort()
}

describe('finding 8: client-supplied text that is persisted is capped', () => {
  it('refuses an 8 MiB session label with a clear error and stores nothing', async () => {
    const { gateway, socket } = await connected()
    const before = await storageKeys(gateway)
    const response = await socket.request('sessions.patch', { key: 'agent:main:main', label: 'L'.repeat(8 * 1024 * 1024 - 200) })
    expect(response.error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/label: too long: at most 256 characters/) })
    expect(await storageKeys(gateway)).toEqual(before)
    const fine = await socket.request('sessions.patch', { key: 'agent:main:main', label: 'Groceries' })
    expect(fine.ok).toBe(true)
    const oversizedKey = await socket.request('chat.send', { sessionKey: `agent:main:${'k'.repeat(600)}`, message: 'hi', idempotencyKey: 'r1' })
    expect(oversizedKey.error!.message).toMatch(/sessionKey: too long: at most 512 characters/)
  })
})

describe('finding 9: bad input gets INVALID_REQUEST saying what was wrong, never "see the gateway logs"', () => {
  it('sessions.list with a 300-character agentId', async () => {
    const { socket } = await connected()
    const response = await socket.request('sessions.list', { agentId: 'a'.repeat(300) })
    expect(response.error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/agentId: too long/) })
    const unknown = await socket.request('sessions.list', { agentId: 'nobody' })
    expect(unknown.error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/unknown agent id .*configured agents: main, ops/) })
  })

  it('config edits: deep nesting, oversized text, a directory include', async () => {
    const { gateway, socket } = await connected()
    mkdirSync(join(gateway.deps.state.stateDir, 'a-dir'))
    const attempts = [
      `{ x: ${'['.repeat(5_000)}${']'.repeat(5_000)} }`,
      `{ gateway: { mode: "local" }, note: "${'n'.repeat(3 * 1024 * 1024)}" }`,
      '{ gateway: { $include: "./a-dir" } }',
    ]
    for (const raw of attempts) {
      const snapshot = await socket.request('config.get', {})
      const response = await socket.request('config.set', { raw, baseHash: snapshot.payload.hash })
      expect(response.error!.code).toBe('INVALID_REQUEST')
      expect(response.error!.message).not.toMatch(/gateway logs/)
      expect(`${response.error!.message} ${JSON.stringify(response.error!.details ?? '')}`).toMatch(/deeper than 64 levels|larger than 2097152 bytes|not a regular file/)
    }
  })
})

describe('finding 10: unknown agent ids create no state', () => {
  it('refuses chat.send and sessions.patch for agents the config does not list', async () => {
    const { gateway, socket } = await connected()
    const before = await storageKeys(gateway)
    for (const agentId of ['constructor', 'proto__', '__proto__', 'ghost']) {
      const send = await socket.request('chat.send', { sessionKey: `agent:${agentId}:main`, message: 'hello', idempotencyKey: `run-${agentId}` })
      expect(send.error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/unknown agent id/) })
      const patch = await socket.request('sessions.patch', { key: `agent:${agentId}:x`, label: 'x' })
      expect(patch.error!.code).toBe('INVALID_REQUEST')
    }
    expect(await storageKeys(gateway)).toEqual(before)
  })
})
