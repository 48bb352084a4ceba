import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LogRecord } from '../../src/logging/log-record.js'
import { createLogger } from '../../src/logging/logger.js'
import {
  acquireGatewayLock,
  type AcquireGatewayLockOptions,
  type GatewayLock,
  GatewayLockError,
  gatewayLockPath,
  removeLegacyStateDirLocks,
} from '../../src/runtime/node/gateway-lock.js'
import { readBootId, readProcessStartTime } from '../../src/runtime/node/process-identity.js'

const onLinux = process.platform === 'linux'

let tmpDir: string
let lines: LogRecord[]
const children: ChildProcess[] = []
const heldLocks: GatewayLock[] = []

beforeEach(() => {
  tmpDir = mkdtempSync(join(tmpdir(), 'gateway-lock-'))
  lines = []
})

afterEach(() => {
  for (const lock of heldLocks.splice(0)) lock.release()
  for (const child of children.splice(0)) child.kill('SIGKILL')
  rmSync(tmpDir, { recursive: true, force: true })
})

function lockOptions(overrides: Partial<AcquireGatewayLockOptions> = {}): AcquireGatewayLockOptions {
  return {
    stateDir: join(tmpDir, 'state'),
    tmpDir,
    env: {},
    logger: createLogger({ now: () => Date.now(), sink: (record) => lines.push(record) }),
    ...overrides,
  }
}

async function acquire(overrides: Partial<AcquireGatewayLockOptions> = {}): Promise<GatewayLock> {
  const lock = await acquireGatewayLock(lockOptions(overrides))
  if (!lock) throw new Error('expected a lock')
  heldLocks.push(lock)
  return lock
}

function lockPath(): string {
  return gatewayLockPath(join(tmpDir, 'state'), tmpDir)
}

function plantLock(contents: Record<string, unknown> | string): string {
  const path = lockPath()
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, typeof contents === 'string' ? contents : JSON.stringify(contents))
  return path
}

// Resolves once the child has run its own code, so /proc shows its final command line, never the parent's.
async function spawnLongLived(...args: string[]): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ['-e', 'console.log("ready"); setInterval(() => {}, 60_000)', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  await once(child.stdout!, 'data')
  if (child.pid === undefined) throw new Error('child did not start')
  return child as ChildProcess & { pid: number }
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  const [code] = await once(child, 'exit')
  expect(code).toBe(0)
  return child.pid!
}

function messages(): string[] {
  return lines.map((record) => record.message)
}

describe('gatewayLockPath', () => {
  it('hashes the resolved state dir into a per-user temp dir name', () => {
    const path = gatewayLockPath('/data', '/tmp')
    expect(path).toMatch(new RegExp(`^/tmp/moltbot-${process.getuid?.() ?? 'user'}/gateway\\.[0-9a-f]{8}\\.lock$`))
    expect(gatewayLockPath('/data/../data/', '/tmp')).toBe(path)
    expect(gatewayLockPath('/data2', '/tmp')).not.toBe(path)
  })
})

describe('acquireGatewayLock', () => {
  it('creates the lock with the owner JSON, mode 0600, in a 0700 directory', async () => {
    const lock = await acquire({ now: () => Date.parse('2026-01-29T10:00:00.000Z') })
    expect(lock.path).toBe(lockPath())
    const contents = JSON.parse(readFileSync(lock.path, 'utf8'))
    expect(contents).toMatchObject({
      pid: process.pid,
      createdAt: '2026-01-29T10:00:00.000Z',
      stateDir: join(tmpDir, 'state'),
    })
    if (onLinux) {
      expect(contents.startTime).toBe(readProcessStartTime(process.pid))
      expect(contents.bootId).toBe(readBootId())
      expect(contents.bootId).toMatch(/^[0-9a-f-]{36}$/)
    }
    expect(statSync(lock.path).mode & 0o777).toBe(0o600)
    expect(statSync(dirname(lock.path)).mode & 0o777).toBe(0o700)
  })

  it('treats a lock carrying its own pid as stale, and the evicted lock no longer deletes the new one', async () => {
    const first = await acquire()
    const second = await acquire({ timeoutMs: 0 })
    expect(messages()).toContain(`removed stale gateway lock ${lockPath()}: pid ${process.pid} is this process`)
    first.release()
    expect(existsSync(second.path)).toBe(true)
    second.release()
    expect(existsSync(second.path)).toBe(false)
  })

  it('removes a lock left by a pid that is no longer running', async () => {
    const pid = await deadPid()
    plantLock({ pid, createdAt: new Date().toISOString(), stateDir: 'x', bootId: readBootId() })
    const lock = await acquire({ timeoutMs: 0 })
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid)
    expect(messages()).toContain(`removed stale gateway lock ${lockPath()}: pid ${pid} is not running`)
  })

  it.runIf(onLinux)('times out while a live process with the recorded start time holds the lock', async () => {
    const child = await spawnLongLived()
    const startTime = readProcessStartTime(child.pid)
    expect(startTime).toBeTypeOf('number')
    const path = plantLock({ pid: child.pid, createdAt: new Date().toISOString(), stateDir: 'x', startTime, bootId: readBootId() })
    const attempt = acquireGatewayLock(lockOptions({ timeoutMs: 300, pollMs: 20 }))
    await expect(attempt).rejects.toThrow(GatewayLockError)
    await expect(attempt).rejects.toThrow(`gateway already running (pid ${child.pid}); lock timeout after 300ms`)
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(child.pid)
  })

  it.runIf(onLinux)('treats a live pid whose start time differs as reused, hence stale', async () => {
    const child = await spawnLongLived('gateway')
    const startTime = readProcessStartTime(child.pid)! - 1
    plantLock({ pid: child.pid, createdAt: new Date().toISOString(), stateDir: 'x', startTime })
    await acquire({ timeoutMs: 0 })
    expect(messages()).toContain(
      `removed stale gateway lock ${lockPath()}: pid ${child.pid} now belongs to another process (start time differs)`,
    )
  })

  it.runIf(onLinux)('treats a lock from another boot as stale even when its pid is alive', async () => {
    const child = await spawnLongLived('gateway')
    const startTime = readProcessStartTime(child.pid)
    plantLock({ pid: child.pid, createdAt: new Date().toISOString(), stateDir: 'x', startTime, bootId: 'an-earlier-boot' })
    await acquire({ timeoutMs: 0 })
    expect(messages()).toContain(`removed stale gateway lock ${lockPath()}: written before the last boot (pid ${child.pid})`)
  })

  it.runIf(onLinux)('without a start time, keeps a lock whose live owner runs a gateway', async () => {
    const child = await spawnLongLived('gateway')
    plantLock({ pid: child.pid, createdAt: new Date().toISOString(), stateDir: 'x' })
    await expect(acquireGatewayLock(lockOptions({ timeoutMs: 50, pollMs: 10 }))).rejects.toThrow(
      `gateway already running (pid ${child.pid}); lock timeout after 50ms`,
    )
  })

  it.runIf(onLinux)('without a start time, evicts a lock whose live owner is not a gateway', async () => {
    const child = await spawnLongLived('something-else')
    plantLock({ pid: child.pid, createdAt: new Date().toISOString(), stateDir: 'x' })
    await acquire({ timeoutMs: 0 })
    expect(messages()).toContain(`removed stale gateway lock ${lockPath()}: pid ${child.pid} is not a gateway`)
  })

  it('keeps an unreadable lock younger than 30 s, since its owner may still be writing it', async () => {
    plantLock('')
    await expect(acquireGatewayLock(lockOptions({ timeoutMs: 50, pollMs: 10 }))).rejects.toThrow(
      'gateway already running; lock timeout after 50ms',
    )
  })

  it('evicts an unreadable lock older than 30 s', async () => {
    const path = plantLock('{"pid": "not a number"')
    const aMinuteAgo = new Date(Date.now() - 60_000)
    utimesSync(path, aMinuteAgo, aMinuteAgo)
    await acquire({ timeoutMs: 0 })
    expect(messages()).toContain(`removed stale gateway lock ${path}: the lock file is unreadable and older than 30s`)
  })

  it('never signals a process group for a lock holding pid 0 or a negative pid', async () => {
    const path = plantLock({ pid: -1, createdAt: new Date().toISOString() })
    await expect(acquireGatewayLock(lockOptions({ timeoutMs: 0 }))).rejects.toThrow(GatewayLockError)
    expect(existsSync(path)).toBe(true)
  })

  it('returns undefined and logs why when CLAWDBOT_ALLOW_MULTI_GATEWAY=1', async () => {
    const lock = await acquireGatewayLock(lockOptions({ env: { CLAWDBOT_ALLOW_MULTI_GATEWAY: '1' } }))
    expect(lock).toBeUndefined()
    expect(existsSync(lockPath())).toBe(false)
    expect(messages()).toEqual([
      'gateway lock skipped: CLAWDBOT_ALLOW_MULTI_GATEWAY=1 allows several gateways per state dir',
    ])
  })

  it('release removes the file and can be called again', async () => {
    const lock = await acquire()
    lock.release()
    expect(existsSync(lock.path)).toBe(false)
    expect(() => lock.release()).not.toThrow()
    const next = await acquire({ timeoutMs: 0 })
    expect(next.path).toBe(lock.path)
    expect(messages().filter((message) => message.startsWith('removed'))).toEqual([])
  })
})

describe('removeLegacyStateDirLocks', () => {
  it('removes gateway.*.lock files from the state dir and leaves everything else', () => {
    const stateDir = join(tmpDir, 'data')
    mkdirSync(join(stateDir, 'gateway.dir.lock'), { recursive: true })
    for (const name of ['gateway.abcd1234.lock', 'moltbot.json', 'gateway.json', 'sessions.json.lock']) {
      writeFileSync(join(stateDir, name), '{}')
    }
    const logger = createLogger({ now: () => Date.now(), sink: (record) => lines.push(record) })
    const removed = removeLegacyStateDirLocks(stateDir, logger)
    expect(removed).toEqual([join(stateDir, 'gateway.abcd1234.lock')])
    expect(readdirSync(stateDir).sort()).toEqual(['gateway.dir.lock', 'gateway.json', 'moltbot.json', 'sessions.json.lock'])
    expect(messages()).toEqual([`removed stale lock from an older install: ${join(stateDir, 'gateway.abcd1234.lock')}`])
  })

  it('returns nothing when the state dir does not exist yet', () => {
    const logger = createLogger({ now: () => Date.now(), sink: (record) => lines.push(record) })
    expect(removeLegacyStateDirLocks(join(tmpDir, 'missing'), logger)).toEqual([])
  })
})
