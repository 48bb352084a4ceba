import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, parse } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anthropicReply, startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { controlUiConnectParams, openTestClient } from '../helpers/ws-client.js'

// Reproduces the runtime stage of the Dockerfile without Docker: dist/ alone in an empty directory (no package.json,
// no node_modules anywhere above it), then the Fly process command (with --port 0 so parallel runs never collide).
// `npm test` builds dist/ first.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
const LISTENING_LAN = /listening on ws:\/\/0\.0\.0\.0:(\d+)/

let workDir = ''
let appDir = ''
let homeDir = ''
const children = new Set<ChildProcess>()

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'clawdbot-smoke-'))
  appDir = join(workDir, 'app')
  homeDir = join(workDir, 'home')
  mkdirSync(appDir)
  mkdirSync(homeDir)
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run npm run build')
  // dist/ui is the browser build the Control UI is embedded from; leaving it out proves the server never reads it.
  cpSync(join(ROOT, 'dist'), join(appDir, 'dist'), { recursive: true, filter: (source) => !source.startsWith(join(ROOT, 'dist', 'ui')) })
})

afterAll(() => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

describe('production image (Dockerfile runtime stage): dist/ alone', () => {
  it('has nothing to resolve packages from: no node_modules or package.json beside or above dist/', () => {
    expect(readdirSync(appDir)).toEqual(['dist'])
    for (let directory = appDir; ; directory = dirname(directory)) {
      expect(existsSync(join(directory, 'node_modules')), `${directory}/node_modules would hide a missing bundle`).toBe(false)
      if (directory === parse(directory).root) break
    }
  })

  it('links every chunk (the lazily loaded ones too) without node_modules', async () => {
    const chunks = listJsFiles(join(appDir, 'dist')).filter((file) => file !== 'index.js')
    expect(chunks.some((file) => file.startsWith('ui/'))).toBe(false)
    expect(chunks.length).toBeGreaterThan(0)
    // Importing a chunk links all of its static imports; an import left to node_modules fails with ERR_MODULE_NOT_FOUND.
    const script = `for (const file of ${JSON.stringify(chunks)}) await import('./dist/' + file)`
    const child = spawn(process.execPath, ['--input-type=module', '--eval', script], { cwd: appDir, env: isolatedEnv({}), stdio: ['ignore', 'pipe', 'pipe'] })
    children.add(child)
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exit = await withTimeout(new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))), 15_000, 'importing the chunks hung')
    expect(stderr).toBe('')
    expect(exit).toEqual({ code: 0, signal: null })
  }, 20_000)

  it('serves GET /health on the port it logs and exits 0 on SIGTERM', async () => {
    const stateDir = join(workDir, 'state-ok')
    const gateway = startGateway(['--port', '0', '--bind', 'lan'], { CLAWDBOT_STATE_DIR: stateDir, CLAWDBOT_GATEWAY_TOKEN: 'x' })

    const listening = await gateway.waitForLine(LISTENING_LAN, 15_000)
    const port = Number(listening[1])
    expect(port).toBeGreaterThan(0)
    const base = `http://127.0.0.1:${port}`

    const health = await fetchHealthWhenReady(`${base}/health`, 5_000)
    expect(health.status).toBe(200)
    expect(health.headers.get('content-type')).toMatch(/application\/json/)
    const body = (await health.json()) as Record<string, unknown>
    expect(body).toMatchObject({ ok: true, version: VERSION })
    expect(typeof body.ts).toBe('number')
    expect(typeof body.uptimeMs).toBe('number')

    // The Control UI comes from the bundle itself (a lazily loaded chunk), not from files next to it.
    const page = await fetch(`${base}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    expect(await page.text()).toMatch(/<script[^>]+src="\.\/assets\//)

    // The detailed report is behind the gateway token.
    expect((await fetch(`${base}/api/health`)).status).toBe(401)
    const authorized = await fetch(`${base}/api/health`, { headers: { authorization: 'Bearer x' } })
    expect(authorized.status).not.toBe(401)
    expect(typeof ((await authorized.json()) as { ok?: unknown }).ok).toBe('boolean')

    gateway.child.kill('SIGTERM')
    const exit = await withTimeout(gateway.exited, 10_000, 'gateway did not exit within 10 s of SIGTERM')
    expect(exit, gateway.output()).toEqual({ code: 0, signal: null })
  }, 40_000)

  it('answers a chat through the provider SDK, a chunk the bundle loads on first use', async () => {
    const provider: FakeServer = await startFakeAnthropic()
    try {
      provider.script(anthropicReply(['Hello from ', 'the bundle']))
      const gateway = startGateway(['--port', '0', '--bind', 'lan'], {
        CLAWDBOT_STATE_DIR: join(workDir, 'state-chat'),
        CLAWDBOT_GATEWAY_TOKEN: 'x',
        ANTHROPIC_API_KEY: 'sk-ant-smoke',
        ANTHROPIC_BASE_URL: provider.url,
      })
      const port = Number((await gateway.waitForLine(LISTENING_LAN, 15_000))[1])
      const client = await openTestClient(`ws://127.0.0.1:${port}/`)
      expect((await client.connect(controlUiConnectParams({ token: 'x' }))).ok, gateway.output()).toBe(true)
      const sent = await client.request('chat.send', { sessionKey: 'main', message: 'hi', idempotencyKey: 'smoke-1' })
      expect(sent.ok, JSON.stringify(sent.error)).toBe(true)
      const final = await client.waitFor((frame) => frame.event === 'chat' && frame.payload?.state !== 'delta', 10_000)
      expect(final.payload).toMatchObject({ state: 'final', message: { content: [{ type: 'text', text: 'Hello from the bundle' }] } })
      expect(provider.requests.map((request) => request.path)).toEqual(['/v1/messages'])
      client.close()
      gateway.child.kill('SIGTERM')
      expect(await withTimeout(gateway.exited, 10_000, 'gateway did not exit after SIGTERM')).toEqual({ code: 0, signal: null })
    } finally {
      await provider.close()
    }
  }, 40_000)

  it('refuses to listen on lan without a token', async () => {
    const gateway = startGateway(['--port', '0', '--bind', 'lan'], { CLAWDBOT_STATE_DIR: join(workDir, 'state-no-token') })
    const exit = await withTimeout(gateway.exited, 10_000, 'gateway without a token did not exit')
    expect(exit.code, gateway.output()).toBe(1)
    expect(gateway.output()).toContain('Gateway auth is set to token, but no token is configured.')
    expect(gateway.output()).not.toMatch(/listening on/)
  }, 20_000)
})

// ---------------------------------------------------------------------------------------------------------------------
// Helpers

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

interface RunningGateway {
  child: ChildProcess
  exited: Promise<Exit>
  output: () => string
  waitForLine: (pattern: RegExp, timeoutMs: number) => Promise<RegExpExecArray>
}

// The child sees only what the Fly machine would: no CLAWDBOT_/MOLTBOT_ settings from the developer's shell, no npm or
// vitest variables, and a throwaway HOME so a real ~/.clawdbot is never read.
function isolatedEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(CLAWDBOT_|MOLTBOT_|npm_|VITEST|NODE_OPTIONS$|NODE_ENV$)/i.test(key)) continue
    env[key] = value
  }
  return { ...env, HOME: homeDir, USERPROFILE: homeDir, NODE_ENV: 'production', ...extra }
}

function startGateway(flags: string[], extraEnv: Record<string, string>): RunningGateway {
  const child = spawn(process.execPath, ['dist/index.js', 'gateway', '--allow-unconfigured', ...flags], {
    cwd: appDir,
    env: isolatedEnv(extraEnv),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const lines: string[] = []
  let stderr = ''
  const waiters = new Set<(line: string) => void>()
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line)
    for (const waiter of waiters) waiter(line)
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const output = () => `--- stdout ---\n${lines.join('\n')}\n--- stderr ---\n${stderr}`

  const waitForLine = (pattern: RegExp, timeoutMs: number) => {
    const seen = lines.map((line) => pattern.exec(line)).find((match) => match !== null)
    if (seen) return Promise.resolve(seen)
    let waiter: ((line: string) => void) | undefined
    const found = new Promise<RegExpExecArray>((resolve, reject) => {
      waiter = (line) => {
        const match = pattern.exec(line)
        if (match) resolve(match)
      }
      waiters.add(waiter)
      void exited.then((exit) => reject(new Error(`gateway exited (${JSON.stringify(exit)}) before logging ${pattern}\n${output()}`)))
    })
    return withTimeout(found, timeoutMs, () => `no line matching ${pattern} within ${timeoutMs} ms\n${output()}`).finally(() => {
      if (waiter) waiters.delete(waiter)
    })
  }

  return { child, exited, output, waitForLine }
}

// The listening line can precede the switch to "ready" by a tick; /health answers 503 until then, so retry only that.
async function fetchHealthWhenReady(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const response = await fetch(url)
    if (response.status !== 503 || Date.now() > deadline) return response
    await response.body?.cancel()
    await new Promise((resolve) => setImmediate(resolve))
  }
}

function listJsFiles(directory: string, prefix = ''): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix + entry.name
    if (entry.isDirectory()) return listJsFiles(join(directory, entry.name), `${relative}/`)
    return entry.name.endsWith('.js') ? [relative] : []
  })
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(typeof message === 'string' ? message : message())), timeoutMs)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
