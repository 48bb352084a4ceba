import type { GatewayAuth } from './gateway-auth.js'
import type { ResolvedConfig } from '../config/load-config.js'

/** Where the gateway is in its life: `/health` answers 503 unless `ready`. */
export type GatewayPhase = 'starting' | 'ready' | 'stopping'

/**
 * The live, swappable facts about the running gateway. The runtime owns the object and replaces fields on hot
 * reload; core code reads it on every request so a reload takes effect without rebuilding the app.
 */
export interface GatewayState {
  phase: GatewayPhase
  /** Milliseconds since the epoch when this process started. */
  startedAt: number
  config: ResolvedConfig
  configPath: string
  /** True when the config file exists on disk (false on embedded defaults). */
  configExists: boolean
  stateDir: string
  auth: GatewayAuth
  /** The `host:port` strings the gateway listens on, for status output. */
  listening: string[]
  /** Last config reload outcome, for the health report. */
  lastReload?: { at: number; ok: boolean; message: string }
}
