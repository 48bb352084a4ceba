import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Reproduces the runtime stage of the Dockerfile without Docker: package.json + lockfile + dist/, a production-only
// `npm ci`, then the Fly process command (with --port 0 so parallel runs never collide). `npm test` builds dist/ first.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
const LISTENING_LAN = /listening on ws:\/\/0\.0\.0\.0:(\d+)/

let workDir = ''
let appDir = ''
let homeDir = ''
const children = new Set<ChildProcess>()

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'clawdbot-smoke-'))
  appDir = join(workDir, 'app')
  homeDir = join(workDir, 'home')
  mkdirSync(appDir)
  mkdirSync(homeDir)
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run npm run build')
  cpSync(join(ROOT, 'package.json'), join(appDir, 'package.json'))
  cpSync(join(ROOT, 'package-lock.json'), join(appDir, 'package-lock.json'))
  cpSync(join(ROOT, 'dist'), join(appDir, 'dist'), { recursive: true })
  await runToCompletion(
    'npm',
    ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
    110_000,
  )
}, 120_000)

afterAll(() => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

describe('production install (Dockerfile runtime stage)', () => {
  it('contains the runtime dependencies and no dev tooling', () => {
    const modules = join(appDir, 'node_modules')
    for (const name of ['hono', '@hono/node-server', 'ws', 'zod', 'unstorage', 'json5']) {
      expect(existsSync(join(modules, name)), `${name} should be installed`).toBe(true)
    }
    for (const name of ['vitest', 'typescript']) {
      expect(existsSync(join(modules, name)), `${name} must not be in the production install`).toBe(false)
    }
  })

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

    // The detailed report is behind the gateway token.
    expect((await fetch(`${base}/api/health`)).status).toBe(401)
    const authorized = await fetch(`${base}/api/health`, { headers: { authorization: 'Bearer x' } })
    expect(authorized.status).not.toBe(401)
    expect(typeof ((await authorized.json()) as { ok?: unknown }).ok).toBe('boolean')

    gateway.child.kill('SIGTERM')
    const exit = await withTimeout(gateway.exited, 10_000, 'gateway did not exit within 10 s of SIGTERM')
    expect(exit, gateway.output()).toEqual({ code: 0, signal: null })
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

function runToCompletion(command: string, args: string[], timeoutMs: number): Promise<void> {
  // npm keeps the real environment: HOME holds the npm cache and .npmrc (registry, proxy) that CI may rely on.
  const child = spawn(command, args, { cwd: appDir, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      if (code === 0) resolve()
      else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal})\n${output}`))
    })
  })
  return withTimeout(done, timeoutMs, () => {
    child.kill('SIGKILL')
    return `${command} ${args.join(' ')} took longer than ${timeoutMs} ms\n${output}`
  })
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(typeof message === 'string' ? message : message())), timeoutMs)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
