import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ENTRY = resolve(import.meta.dirname, '../../dist/index.js')

/** A temp home, state dir and TMPDIR per test, so nothing leaks between tests or into the real home. */
export function makeSandbox(): { root: string; home: string; stateDir: string; tmp: string } {
  const root = mkdtempSync(join(tmpdir(), 'gw-test-'))
  const home = join(root, 'home')
  const stateDir = join(root, 'state')
  const tmp = join(root, 'tmp')
  for (const dir of [home, stateDir, tmp]) mkdirSync(dir, { recursive: true })
  return { root, home, stateDir, tmp }
}

export interface RunningProcess {
  child: ChildProcess
  stdout: string[]
  stderr: string[]
  /** Resolves with the first line (stdout or stderr) matching, or rejects after `timeoutMs` / on exit. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  output(): string
}

/** Spawns `node dist/index.js …` with a clean environment (PATH plus what the test passes). */
export function spawnCli(args: string[], env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, [ENTRY, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stdout: string[] = []
  const stderr: string[] = []
  const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = []
  const onLine = (line: string) => {
    for (const waiter of [...waiters]) {
      const match = line.match(waiter.pattern)
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(match)
      }
    }
  }
  const pipe = (stream: NodeJS.ReadableStream, sink: string[]) => {
    let buffer = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      buffer += chunk
      const lines = buffer.split('\n')
      buffer = lines.pop() ?? ''
      for (const line of lines) {
        sink.push(line)
        onLine(line)
      }
    })
  }
  pipe(child.stdout!, stdout)
  pipe(child.stderr!, stderr)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise) => {
    child.on('exit', (code, signal) => setImmediate(() => resolvePromise({ code, signal })))
  })
  const output = () => [...stdout, ...stderr].join('\n')
  return {
    child,
    stdout,
    stderr,
    exited,
    output,
    waitForLine(pattern, timeoutMs = 10_000) {
      for (const line of [...stdout, ...stderr]) {
        const match = line.match(pattern)
        if (match) return Promise.resolve(match)
      }
      return new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${output()}`)), timeoutMs)
        const waiter = {
          pattern,
          resolve: (match: RegExpMatchArray) => {
            clearTimeout(timer)
            resolvePromise(match)
          },
        }
        waiters.push(waiter)
        void exited.then(() => {
          if (!waiters.includes(waiter)) return
          clearTimeout(timer)
          reject(new Error(`process exited before a line matched ${pattern}; output:\n${output()}`))
        })
      })
    },
  }
}

/** Starts a gateway and waits for its listening line; returns the actual port. */
export async function startGateway(args: string[], env: Record<string, string>): Promise<RunningProcess & { port: number }> {
  const running = spawnCli(['gateway', '--port', '0', ...args], env)
  const match = await running.waitForLine(/\[gateway\] listening on ws:\/\/[^ ]+:(\d+) \(PID \d+\)/)
  return Object.assign(running, { port: Number(match[1]) })
}

/** Sends SIGTERM and waits for the exit. */
export async function stopGateway(running: RunningProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGTERM')
  return running.exited
}
