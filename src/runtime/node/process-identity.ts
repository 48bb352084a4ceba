import { readFileSync } from 'node:fs'

/** Returns field 22 (starttime, clock ticks since boot) of a `/proc/<pid>/stat` line, or undefined if malformed. */
export function parseProcessStartTime(statLine: string): number | undefined {
  // The command name (field 2) sits in parentheses and may itself hold spaces and `)`, so count after the last `)`.
  const commandEnd = statLine.lastIndexOf(')')
  if (commandEnd === -1) return undefined
  const fieldsFromState = statLine.slice(commandEnd + 1).trim().split(/\s+/)
  const startTime = Number(fieldsFromState[22 - 3])
  return Number.isSafeInteger(startTime) && startTime >= 0 ? startTime : undefined
}

/** Reads a live process's start time from `/proc`; undefined off Linux or when the process is gone. */
export function readProcessStartTime(pid: number): number | undefined {
  const statLine = readProcFile(`/proc/${pid}/stat`)
  return statLine === undefined ? undefined : parseProcessStartTime(statLine)
}

/** Reads a process's command line with arguments joined by spaces; undefined when `/proc` can't tell. */
export function readProcessCommandLine(pid: number): string | undefined {
  return readProcFile(`/proc/${pid}/cmdline`)?.split('\0').join(' ').trim()
}

/** Reads the kernel's random id for the current boot, which changes on every boot of a VM or machine. */
export function readBootId(): string | undefined {
  return readProcFile('/proc/sys/kernel/random/boot_id')?.trim() || undefined
}

/** Asks the kernel whether a pid exists; EPERM means it exists but belongs to someone else. */
export function isProcessAlive(pid: number): boolean {
  // kill(0 or negative) would address a whole process group, never a single owner.
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new RangeError(`not a process id: ${pid}`)
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readProcFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}
