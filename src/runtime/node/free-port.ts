import { readFileSync, readdirSync, readlinkSync } from 'node:fs'
import type { Logger } from '../../logging/logger.js'

/**
 * `--force`: stops whatever listens on the port before we bind it. Listeners are found through /proc (slim images
 * have no lsof), asked to stop with SIGTERM, and killed if they are still there after two seconds.
 */
export async function freePort(port: number, logger: Logger): Promise<void> {
  if (process.platform !== 'linux') {
    logger.warn(`force: cannot look up listeners on ${process.platform}; stop the process on port ${port} yourself`)
    return
  }
  const pids = listeningPids(port).filter((pid) => pid !== process.pid)
  if (pids.length === 0) {
    logger.info(`force: no listeners on port ${port}`)
    return
  }
  for (const pid of pids) {
    const command = readCommand(pid)
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      continue
    }
    if (!(await exited(pid, 2_000))) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // It exited between the check and the kill.
      }
      await exited(pid, 1_000)
    }
    logger.info(`force: killed pid ${pid} (${command}) on port ${port}`)
  }
}

/** Pids of the processes with a listening TCP socket on `port` (IPv4 or IPv6), found through /proc (Linux only). */
export function listeningPids(port: number): number[] {
  const inodes = new Set<string>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = ''
    try {
      text = readFileSync(table, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      // fields[1] is local "ADDR:PORT" in hex, fields[3] the state (0A = LISTEN), fields[9] the socket inode.
      if (fields.length < 10 || fields[3] !== '0A') continue
      if (parseInt(fields[1].split(':')[1], 16) === port) inodes.add(fields[9])
    }
  }
  if (inodes.size === 0) return []
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${entry}/fd`)
    } catch {
      continue
    }
    const owns = fds.some((fd) => {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`))
        return match !== null && inodes.has(match[1])
      } catch {
        return false
      }
    })
    if (owns) pids.push(Number(entry))
  }
  return pids
}

/** A process's command line, cut to 120 characters; `?` when /proc does not show it. */
export function readCommand(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 120) || '?'
  } catch {
    return '?'
  }
}

async function exited(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0)
    } catch {
      return true
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}
