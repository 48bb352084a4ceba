import type { LoadConfigResult } from '../../../config/load-config.js'

/** What one check found: `fail` makes `doctor` exit 1, `warn` is worth reading, `ok` is fine. */
export interface DoctorFinding {
  check: string
  status: 'ok' | 'warn' | 'fail'
  message: string
}

/** What every check may look at; `fix` is true with `--fix`, when a check may repair what it can (with a backup). */
export interface DoctorContext {
  stateDir: string
  configPath: string
  loaded: LoadConfigResult
  env: Record<string, string | undefined>
  fetch: typeof fetch
  fix: boolean
  /** The temp dir the gateway lock lives in (tests point it elsewhere). */
  tmpDir?: string
}

/**
 * One `doctor` check: a small function from the context to its findings. Channels add theirs to `DOCTOR_CHECKS`
 * (see doctor-checks.ts) without touching the command.
 */
export type DoctorCheck = (context: DoctorContext) => Promise<DoctorFinding[]>
