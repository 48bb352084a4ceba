import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfigText, type ConfigIo } from '../../src/config/load-config.js'
import { readRegularFile, realPathOrUndefined } from '../../src/runtime/node/read-regular-file.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type TestClient } from '../helpers/ws-client.js'

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function sandbox() {
  const root = mkdtempSync(join(tmpdir(), 'gw-include-'))
  const configDir = join(root, 'state')
  mkdirSync(configDir)
  writeFileSync(join(root, 'outside.json5'), '{ agents: { list: [{ id: "main", name: "stolen" }] } }')
  symlinkSync(join(root, 'outside.json5'), join(configDir, 'link.json5'))
  execFileSync('mkfifo', [join(configDir, 'pipe.json5')])
  writeFileSync(join(configDir, 'big.json5'), `{ x: "${'a'.repeat(3 * 1024 * 1024)}" }`)
  writeFileSync(join(configDir, 'ok.json5'), '{ mode: "local" }')
  return { root, configDir, configPath: join(configDir, 'moltbot.json') }
}

const nodeIo = (): ConfigIo => ({ readText: (path) => readRegularFile(path), realPath: realPathOrUndefined, env: {}, homeDir: '/home/test' })

async function issuesFor(include: string, configPath: string) {
  const result = await parseConfigText(JSON.stringify({ gateway: { $include: include } }), configPath, nodeIo())
  return result.ok ? [] : result.issues.map((issue) => issue.message)
}

describe('finding 3: $include is confined, regular-file only, capped and non-blocking', () => {
  it('refuses files outside the config directory, symlinks out of it, devices, FIFOs and huge files', async () => {
    const { configPath, root } = sandbox()
    expect(await issuesFor('../outside.json5', configPath)).toEqual([expect.stringMatching(/outside the config directory/)])
    expect(await issuesFor(join(root, 'outside.json5'), configPath)).toEqual([expect.stringMatching(/outside the config directory/)])
    expect(await issuesFor('./link.json5', configPath)).toEqual([expect.stringMatching(/outside the config directory/)])
    expect(await issuesFor('/dev/zero', configPath)).toEqual([expect.stringMatching(/outside the config directory/)])
    // A FIFO with no writer would block a libuv thread forever with a blocking open; this must come back at once.
    expect(await issuesFor('./pipe.json5', configPath)).toEqual([expect.stringMatching(/pipe\.json5 is not a regular file/)])
    expect(await issuesFor('./big.json5', configPath)).toEqual([expect.stringMatching(/big\.json5 is larger than 2097152 bytes/)])
    expect(await issuesFor('./ok.json5', configPath)).toEqual([])
  })

  it('a config.patch naming a FIFO or an outside file is refused promptly, and later writes still work', async () => {
    const gateway = await startTestGateway()
    cleanups.push(gateway.close)
    const { deps } = gateway
    const dir = deps.state.stateDir
    execFileSync('mkfifo', [join(dir, 'pipe.json5')])
    writeFileSync(join(dir, '..', `outside-${process.pid}.json5`), '{ mode: "local" }')
    deps.readTextFile = (path) => readRegularFile(path)
    deps.realPath = realPathOrUndefined
    const socket: TestClient = await openTestClient(gateway.url, { token: TEST_TOKEN })
    cleanups.push(() => socket.close())
    await socket.connect()
    const before = readFileSync(gateway.configPath, 'utf8')
    for (const include of ['./pipe.json5', `../outside-${process.pid}.json5`, '/etc/passwd']) {
      const snapshot = await socket.request('config.get', {})
      const response = await socket.request('config.patch', { raw: JSON.stringify({ gateway: { $include: include } }), baseHash: snapshot.payload.hash })
      expect(response.ok).toBe(false)
      expect(response.error).toMatchObject({ code: 'INVALID_REQUEST', message: 'invalid config' })
      expect(JSON.stringify(response.error!.details.issues)).toMatch(/not a regular file|outside the config directory/)
    }
    expect(readFileSync(gateway.configPath, 'utf8')).toBe(before)
    const snapshot = await socket.request('config.get', {})
    const ok = await socket.request('config.patch', { raw: '{ gateway: { reload: { debounceMs: 100 } } }', baseHash: snapshot.payload.hash })
    expect(ok.ok).toBe(true)
  })
})
