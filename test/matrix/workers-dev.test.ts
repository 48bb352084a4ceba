import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anthropicReply, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { createInteractionKeys, signInteraction, type InteractionKeys } from '../helpers/sign-interaction.js'
import { openTestClient } from '../helpers/ws-client.js'

const ROOT = join(import.meta.dirname, '../..')
const TOKEN = 'workers-dev-token-0123456789'

/*
 * `npm run workers:dev` as a person would run it: wrangler dev in local workerd with the example wrangler config and
 * --var bindings, no account. wrangler wants a port number up front, so a free one is picked by binding port 0.
 */
describe('npm run workers:dev', () => {
  let anthropic: FakeServer
  let keys: InteractionKeys
  let baseUrl: string
  let stop: () => Promise<void>
  const output: string[] = []

  beforeAll(async () => {
    anthropic = await startFakeAnthropic()
    keys = await createInteractionKeys()
    const port = await freePort()
    const persist = mkdtempSync(join(tmpdir(), 'gw-workers-dev-'))
    const vars = { CLAWDBOT_GATEWAY_TOKEN: TOKEN, DISCORD_PUBLIC_KEY: keys.publicKeyHex, ANTHROPIC_API_KEY: 'sk-ant-dev', ANTHROPIC_BASE_URL: anthropic.url }
    const args = ['run', 'workers:dev', '--', '--port', String(port), '--persist-to', persist, ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`])]
    const child = spawn('npm', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    stop = async () => {
      process.kill(-child.pid!, 'SIGTERM')
      await exited
      rmSync(persist, { recursive: true, force: true })
    }
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output.push(chunk.toString())
        if (/Ready on http:\/\/127\.0\.0\.1:\d+/.test(output.join(''))) resolve()
      }
      child.stdout!.on('data', onData)
      child.stderr!.on('data', onData)
      void exited.then(() => reject(new Error(`workers:dev exited before it was ready:\n${output.join('')}`)))
    })
    baseUrl = `http://127.0.0.1:${port}`
  }, 120_000)
  afterAll(async () => {
    await stop?.()
    await anthropic?.close()
  })

  it('answers /health', async () => {
    const response = await fetch(`${baseUrl}/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ ok: true })
  })

  it('answers a signed Discord PING and refuses an unsigned one', async () => {
    const ping = await fetch(`${baseUrl}/discord/interactions`, await signInteraction(keys, { id: '1', type: 1, application_id: '2', token: 't', version: 1 }, { timestamp: Date.now() / 1000 }))
    expect(await ping.json()).toEqual({ type: 1 })
    expect((await fetch(`${baseUrl}/discord/interactions`, { method: 'POST', body: '{"type":1}' })).status).toBe(401)
  })

  it('chats over the WebSocket against the fake model', async () => {
    anthropic.script(anthropicReply(['Hello from ', 'workerd']))
    const client = await openTestClient(`${baseUrl.replace('http', 'ws')}/`, { token: TOKEN })
    try {
      expect((await client.connect()).ok).toBe(true)
      await client.request('chat.send', { sessionKey: 'main', message: 'hi', idempotencyKey: 'dev-run-1' })
      const final = await client.waitFor((frame) => frame.event === 'chat' && frame.payload?.runId === 'dev-run-1' && frame.payload.state === 'final', 30_000)
      expect(final.payload.message.content).toEqual([{ type: 'text', text: 'Hello from workerd' }])
    } finally {
      client.close()
    }
  }, 40_000)
})

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}
