import type { Storage } from 'unstorage'
import type { UpgradeWebSocket } from 'hono/ws'
import type { Logger } from './logging/logger.js'
import type { LogRing } from './logging/log-ring.js'
import type { GatewayState } from './gateway/gateway-state.js'
import type { NetworkAccess } from './tools/network-access.js'
import type { WorkspaceFiles } from './workspace/workspace-files.js'

/** Post-response work that must finish before shutdown (Workers' ExecutionContext, our own drain set on Node). */
export interface BackgroundWork {
  waitUntil(promise: Promise<unknown>): void
}

/**
 * Time as a capability: Node uses its timers, Workers its isolate's timers plus a Durable Object alarm, tests fake
 * time. Core never calls `setTimeout`/`setInterval` itself.
 */
export interface Scheduler {
  /** Calls `callback` once after `delayMs`; the returned function cancels it. Lost if the process or object goes away. */
  after(delayMs: number, callback: () => void): () => void
  /** Calls `callback` every `intervalMs` until the returned function is called. */
  every(intervalMs: number, callback: () => void): () => void
  /**
   * Asks the runtime to have the gateway running at `atMs` (epoch ms) even if it is idle until then: a Durable Object
   * alarm on Workers, nothing on Node, whose process stays up. Durable work (cron, heartbeat) keeps its due times in
   * storage and re-arms its own `after` timers when the gateway starts, so a wake-up only has to start the gateway.
   */
  wakeAt(atMs: number): void
}

/**
 * Everything core code may use from the outside world. Each runtime entry builds one and calls `createApp(deps)`;
 * core never reaches for globals such as `process` or the filesystem.
 */
export interface AppDeps {
  version: string
  now: () => number
  scheduler: Scheduler
  logger: Logger
  logRing: LogRing
  storage: Storage
  state: GatewayState
  fetch: typeof fetch
  /** Environment variables (process env on Node, bindings on Workers): provider keys and base URLs. */
  env: Record<string, string | undefined>
  /** Reads a text file such as a workspace bootstrap file; `undefined` when it does not exist. */
  readTextFile: (path: string) => Promise<string | undefined>
  /** Resolves symlinks (undefined when missing), so `$include` stays inside the config directory. */
  realPath?: (path: string) => Promise<string | undefined>
  background: BackgroundWork
  /** Writes the config file atomically (keeping a `.bak`); the runtime decides where backups go. */
  writeConfigFile: (path: string, text: string) => Promise<void>
  /** Re-reads and applies the config now through the hot-reload path; resolves with what happened. */
  reloadConfig: () => Promise<{ ok: boolean; message: string }>
  upgradeWebSocket?: UpgradeWebSocket
  /**
   * The gateway's public base URL (no trailing slash) when the runtime knows it: `https://<app>.fly.dev` on Fly, the
   * origin requests arrive on in Workers. Used for URLs given to others, such as Discord's interactions endpoint.
   */
  publicUrl?: () => string | undefined
  /** Agent workspace files (memory notes); without it the memory tools are not offered. */
  workspaceFiles?: WorkspaceFiles
  /** Guarded outbound HTTP for model-chosen URLs; without it `fetch` is used with name and literal-IP checks only. */
  network?: NetworkAccess
}
