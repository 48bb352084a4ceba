import { createHash } from 'node:crypto'
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import type { Logger } from '../../logging/logger.js'
import { isProcessAlive, readBootId, readProcessCommandLine, readProcessStartTime } from './process-identity.js'

const DEFAULT_TIMEOUT_MS = 5000
const DEFAULT_POLL_MS = 100
/** A lock whose owner can't be identified is only evicted once it is this old (upstream's rule). */
const UNKNOWN_OWNER_GRACE_MS = 30_000
const LEGACY_LOCK_NAME = /^gateway\..+\.lock$/

/** Thrown when another live gateway holds the lock for the same state dir past the timeout. */
export class GatewayLockError extends Error {
  readonly ownerPid: number | undefined
  readonly timeoutMs: number

  constructor(ownerPid: number | undefined, timeoutMs: number) {
    const owner = ownerPid === undefined ? '' : ` (pid ${ownerPid})`
    super(`gateway already running${owner}; lock timeout after ${timeoutMs}ms`)
    this.name = 'GatewayLockError'
    this.ownerPid = ownerPid
    this.timeoutMs = timeoutMs
  }
}

/** A held gateway lock; `release` is synchronous and idempotent so it can run inside `process.on('exit')`. */
export interface GatewayLock {
  readonly path: string
  release(): void
}

/** Inputs of `acquireGatewayLock`; everything but the state dir and logger has a production default. */
export interface AcquireGatewayLockOptions {
  /**
   * The lock is keyed on the state dir, not the config file: two gateways on one state dir would share sessions and
   * storage whichever config name (`clawdbot.json`, `moltbot.json`) each of them found.
   */
  stateDir: string
  env?: Record<string, string | undefined>
  tmpDir?: string
  timeoutMs?: number
  pollMs?: number
  logger: Logger
  now?: () => number
}

interface LockContents {
  pid: number
  createdAt: string
  stateDir: string
  startTime?: number
  bootId?: string
}

type OwnerVerdict =
  | { kind: 'held'; pid: number | undefined }
  | { kind: 'stale'; reason: string; device: number; inode: number }
  | { kind: 'gone' }

type OwnerStatus = { kind: 'alive' } | { kind: 'dead'; reason: string } | { kind: 'unknown'; reason: string }

/**
 * Takes the one-gateway-per-state-dir lock in the temp dir, evicting locks whose owner is gone, or returns undefined
 * when `CLAWDBOT_ALLOW_MULTI_GATEWAY=1`.
 * @see spec/config-and-runtime.md §4
 */
export async function acquireGatewayLock(options: AcquireGatewayLockOptions): Promise<GatewayLock | undefined> {
  const { logger } = options
  const env = options.env ?? process.env
  if (env.CLAWDBOT_ALLOW_MULTI_GATEWAY === '1') {
    logger.info('gateway lock skipped: CLAWDBOT_ALLOW_MULTI_GATEWAY=1 allows several gateways per state dir')
    return undefined
  }
  const now = options.now ?? Date.now
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS
  const stateDir = resolve(options.stateDir)
  const path = gatewayLockPath(stateDir, options.tmpDir)
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const bootId = readBootId()
  const contents: LockContents = {
    pid: process.pid,
    createdAt: new Date(now()).toISOString(),
    stateDir,
    startTime: readProcessStartTime(process.pid),
    bootId,
  }
  const deadline = now() + timeoutMs
  for (;;) {
    const lock = tryCreateLock(path, contents, logger)
    if (lock) return lock
    const verdict = inspectOwner(path, bootId, now)
    if (verdict.kind === 'gone') continue
    if (verdict.kind === 'stale') {
      if (removeIfUnchanged(path, verdict)) logger.info(`removed stale gateway lock ${path}: ${verdict.reason}`)
      continue
    }
    if (now() >= deadline) throw new GatewayLockError(verdict.pid, timeoutMs)
    await delay(pollMs)
  }
}

/** Deletes `<stateDir>/gateway.*.lock` files that installs before 2026-01-25 left on the volume; returns their paths. */
export function removeLegacyStateDirLocks(stateDir: string, logger: Logger): string[] {
  let entries
  try {
    entries = readdirSync(stateDir, { withFileTypes: true })
  } catch (error) {
    if (isErrorCode(error, 'ENOENT') || isErrorCode(error, 'ENOTDIR')) return []
    throw error
  }
  const removed: string[] = []
  for (const entry of entries) {
    if (!entry.isFile() || !LEGACY_LOCK_NAME.test(entry.name)) continue
    const path = join(stateDir, entry.name)
    try {
      unlinkSync(path)
    } catch (error) {
      if (isErrorCode(error, 'ENOENT')) continue
      throw error
    }
    logger.info(`removed stale lock from an older install: ${path}`)
    removed.push(path)
  }
  return removed
}

/** Who holds the state dir's lock right now, for `doctor`: nobody, a live gateway, or a stale file from a dead one. */
export function describeGatewayLock(stateDir: string, tmpDir?: string): { path: string; state: 'free' | 'held' | 'stale'; pid?: number } {
  const path = gatewayLockPath(stateDir, tmpDir)
  const verdict = inspectOwner(path, readBootId(), Date.now)
  if (verdict.kind === 'gone') return { path, state: 'free' }
  if (verdict.kind === 'stale') return { path, state: 'stale' }
  return { path, state: 'held', ...(verdict.pid === undefined ? {} : { pid: verdict.pid }) }
}

/** Path of the lock for a state dir: `<tmpdir>/moltbot-<uid>/gateway.<sha1(state dir) first 8 hex>.lock`. */
export function gatewayLockPath(stateDir: string, tmpDir: string = tmpdir()): string {
  const hash = createHash('sha1').update(resolve(stateDir)).digest('hex').slice(0, 8)
  const user = process.getuid?.() ?? 'user'
  return join(tmpDir, `moltbot-${user}`, `gateway.${hash}.lock`)
}

function tryCreateLock(path: string, contents: LockContents, logger: Logger): GatewayLock | undefined {
  let descriptor: number
  try {
    descriptor = openSync(path, 'wx', 0o600)
  } catch (error) {
    if (isErrorCode(error, 'EEXIST')) return undefined
    throw error
  }
  try {
    writeSync(descriptor, JSON.stringify(contents))
  } catch (error) {
    closeSync(descriptor)
    unlinkSync(path)
    throw error
  }
  logger.debug(`gateway lock acquired: ${path}`)
  return createHeldLock(path, descriptor, logger)
}

// The descriptor stays open while the lock is held: that pins the inode, so release can tell our file from one a
// later acquirer (say, an in-process restart that evicted us as "own pid") put at the same path.
function createHeldLock(path: string, descriptor: number, logger: Logger): GatewayLock {
  let released = false
  return {
    path,
    release() {
      if (released) return
      released = true
      try {
        const ours = fstatSync(descriptor)
        const current = statSync(path)
        if (current.ino === ours.ino && current.dev === ours.dev) unlinkSync(path)
      } catch (error) {
        if (!isErrorCode(error, 'ENOENT')) logger.warn(`could not remove gateway lock ${path}: ${String(error)}`)
      } finally {
        closeSync(descriptor)
      }
    },
  }
}

function inspectOwner(path: string, ownBootId: string | undefined, now: () => number): OwnerVerdict {
  let descriptor: number
  try {
    descriptor = openSync(path, 'r')
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return { kind: 'gone' }
    throw error
  }
  let stats
  let text
  try {
    stats = fstatSync(descriptor)
    text = readFileSync(descriptor, 'utf8')
  } finally {
    closeSync(descriptor)
  }
  const contents = parseLockContents(text)
  const status: OwnerStatus = contents
    ? ownerStatus(contents, ownBootId)
    : { kind: 'unknown', reason: 'the lock file is unreadable' }
  const identity = { device: stats.dev, inode: stats.ino }
  if (status.kind === 'alive') return { kind: 'held', pid: contents?.pid }
  if (status.kind === 'dead') return { kind: 'stale', reason: status.reason, ...identity }
  // A lock another gateway is still writing looks unreadable too, so only an old one is evicted.
  if (now() - stats.mtimeMs > UNKNOWN_OWNER_GRACE_MS) {
    return { kind: 'stale', reason: `${status.reason} and older than ${UNKNOWN_OWNER_GRACE_MS / 1000}s`, ...identity }
  }
  return { kind: 'held', pid: contents?.pid }
}

function ownerStatus(contents: LockContents, ownBootId: string | undefined): OwnerStatus {
  const { pid } = contents
  // A fresh VM or container often hands the new gateway the old one's pid, so our own pid means a leftover.
  if (pid === process.pid) return { kind: 'dead', reason: `pid ${pid} is this process` }
  if (contents.bootId !== undefined && ownBootId !== undefined && contents.bootId !== ownBootId) {
    return { kind: 'dead', reason: `written before the last boot (pid ${pid})` }
  }
  if (!isProcessAlive(pid)) return { kind: 'dead', reason: `pid ${pid} is not running` }
  if (contents.startTime !== undefined && process.platform === 'linux') {
    const liveStartTime = readProcessStartTime(pid)
    if (liveStartTime === undefined) return { kind: 'unknown', reason: `the start time of pid ${pid} is unreadable` }
    if (liveStartTime === contents.startTime) return { kind: 'alive' }
    return { kind: 'dead', reason: `pid ${pid} now belongs to another process (start time differs)` }
  }
  const commandLine = readProcessCommandLine(pid)
  if (commandLine === undefined) return { kind: 'unknown', reason: `the command line of pid ${pid} is unreadable` }
  if (commandLine.includes('gateway')) return { kind: 'alive' }
  return { kind: 'dead', reason: `pid ${pid} is not a gateway` }
}

function parseLockContents(text: string): LockContents | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const record = value as Record<string, unknown>
  if (typeof record.pid !== 'number' || !Number.isSafeInteger(record.pid) || record.pid <= 0) return undefined
  return {
    pid: record.pid,
    createdAt: typeof record.createdAt === 'string' ? record.createdAt : '',
    stateDir: typeof record.stateDir === 'string' ? record.stateDir : '',
    startTime: typeof record.startTime === 'number' ? record.startTime : undefined,
    bootId: typeof record.bootId === 'string' ? record.bootId : undefined,
  }
}

// Two gateways may judge the same file stale at once; checking the inode keeps the slower one from deleting the
// lock the faster one has just created in its place.
function removeIfUnchanged(path: string, verdict: { device: number; inode: number }): boolean {
  try {
    const current = statSync(path)
    if (current.ino !== verdict.inode || current.dev !== verdict.device) return false
    unlinkSync(path)
    return true
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return false
    throw error
  }
}

function isErrorCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code
}
