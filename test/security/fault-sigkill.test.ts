import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import JSON5 from 'json5'
import { afterEach, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { anthropicReply, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { lastUserText } from '../helpers/runtime-fixture.js'
import { ENTRY, makeSandbox, startGateway, stopGateway, type RunningProcess } from '../helpers/spawn-gateway.js'
import { openTestClient, type TestClient } from '../helpers/ws-client.js'

const TOKEN = 'crash-token-0123456789'
const ROUNDS = 5
const running: RunningProcess[] = []
let provider: FakeServer | undefined
afterEach(async () => {
  for (const gateway of running.splice(0)) await stopGateway(gateway)
  await provider?.close()
})

/** Every file under the state dir: JSON must parse; no temp files once a gateway has started. */
function walk(dir: string, files: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) walk(path, files)
    else files.push(path)
  }
  return files
}

describe('SIGKILL during heavy transcript and config writes', () => {
  it(`${ROUNDS} rounds: every file parses, no completed turn lost or duplicated, temp files cleaned`, { timeout: 180_000 }, async () => {
    expect(existsSync(ENTRY), 'run `npm run build` first').toBe(true)
    provider = await startFakeAnthropic()
    provider.script((request) => anthropicReply([`ack ${lastUserText(request.body as never)}`]))
    const sandbox = makeSandbox()
    const configPath = join(sandbox.stateDir, 'clawdbot.json')
    writeFileSync(configPath, JSON.stringify({ gateway: { mode: 'local', auth: { token: TOKEN } }, agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } } }, null, 2))
    const env = { HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir, ANTHROPIC_API_KEY: 'sk-ant-crash', ANTHROPIC_BASE_URL: provider.url }
    const completed: string[] = []

    for (let round = 0; round < ROUNDS; round += 1) {
      const gateway = await startGateway([], env)
      running.push(gateway)
      const client: TestClient = await openTestClient(`ws://127.0.0.1:${gateway.port}/`, { token: TOKEN })
      expect((await client.connect()).ok).toBe(true)
      const finals = new Map<string, string>()
      client.socket.on('message', (data) => {
        const frame = JSON.parse(String(data))
        if (frame.event === 'chat' && frame.payload?.state === 'final') finals.set(frame.payload.runId, frame.payload.sessionKey)
      })
      // Turns on two sessions and config writes, all in flight when the kill lands.
      const sends: Promise<unknown>[] = []
      for (let turn = 0; turn < 12; turn += 1) {
        const marker = `[r${round}-t${turn}]`
        sends.push(client.request('chat.send', { sessionKey: `crash-${turn % 2}`, message: marker, idempotencyKey: `r${round}-t${turn}` }))
      }
      const writes = (async () => {
        for (let write = 0; write < 20; write += 1) {
          const snapshot = await client.request('config.get', {}).catch(() => undefined)
          if (!snapshot?.ok) return
          await client.request('config.patch', { raw: JSON.stringify({ agents: { defaults: { timeoutSeconds: 100 + write + round } } }), baseHash: snapshot.payload.hash }).catch(() => undefined)
        }
      })()
      await Promise.all(sends)
      // Kill once some turns completed and others are still running (driven by events, not by time).
      await client.waitFor((frame) => frame.event === 'chat' && frame.payload?.state === 'final' && finals.size >= 3, 20_000)
      gateway.child.kill('SIGKILL')
      await gateway.exited
      running.splice(running.indexOf(gateway), 1)
      await writes.catch(() => undefined)
      completed.push(...[...finals.keys()])
      client.close()
    }

    // One more start: it must come up despite the kills and clean what they left.
    const last = await startGateway([], env)
    running.push(last)
    const files = walk(sandbox.stateDir)
    expect(files.filter((path) => /\.tmp$/.test(path))).toEqual([])
    for (const path of files.filter((file) => file.endsWith('.json'))) {
      expect(() => JSON.parse(readFileSync(path, 'utf8')), path).not.toThrow()
    }
    expect(() => JSON5.parse(readFileSync(configPath, 'utf8'))).not.toThrow()

    const client = await openTestClient(`ws://127.0.0.1:${last.port}/`, { token: TOKEN })
    expect((await client.connect()).ok).toBe(true)
    const texts: string[] = []
    for (const sessionKey of ['crash-0', 'crash-1']) {
      const history = await client.request('chat.history', { sessionKey, limit: 1_000 })
      for (const message of history.payload.messages as { role: string; content: unknown }[]) {
        const text = typeof message.content === 'string' ? message.content : JSON.stringify(message.content)
        texts.push(`${message.role}:${text}`)
      }
    }
    client.close()
    expect(completed.length).toBeGreaterThanOrEqual(ROUNDS * 3)
    for (const runId of completed) {
      const marker = `[${runId}]`
      expect(texts.filter((text) => text.startsWith('user:') && text.includes(marker)), marker).toHaveLength(1)
      expect(texts.filter((text) => text.startsWith('assistant:') && text.includes(`ack ${marker}`)), marker).toHaveLength(1)
    }
  })
})
