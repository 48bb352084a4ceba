import type { Scheduler } from '../deps.js'
import type { Logger } from '../logging/logger.js'
import type { WorkspaceFiles } from '../workspace/workspace-files.js'
import type { AgentTool, ToolRunContext } from './agent-tool.js'
import type { NetworkAccess } from './network-access.js'
import type { SessionAccess } from './session-access.js'
import { TtlCache } from './ttl-cache.js'

/** What the built-in tools may use; built once per runtime, shared by every run. */
export interface ToolServices {
  env: Record<string, string | undefined>
  /** For fixed, trusted API hosts (Brave, Perplexity); model-chosen URLs go through `network` instead. */
  fetch: typeof fetch
  network: NetworkAccess
  now: () => number
  scheduler: Scheduler
  logger: Logger
  workspaceFiles?: WorkspaceFiles
  sessions?: SessionAccess
  searchCache: TtlCache<unknown>
  fetchCache: TtlCache<unknown>
}

/** A built-in tool for one run, or `undefined` when config or capabilities say it should not exist. */
export type BuiltinToolFactory = (services: ToolServices, run: ToolRunContext) => AgentTool | undefined

/** Adds fresh caches to the services object; getters on `options` stay live (capabilities may be swapped later). */
export function createToolServices(options: Omit<ToolServices, 'searchCache' | 'fetchCache'>): ToolServices {
  return Object.assign(options, { searchCache: new TtlCache<unknown>(options.now), fetchCache: new TtlCache<unknown>(options.now) })
}

/**
 * An AbortSignal that fires with the run's signal or after `timeoutMs` (then as a `TimeoutError`), using the
 * runtime's scheduler rather than a raw timer. Call `done()` when the work finishes.
 */
export function withTimeout(services: ToolServices, signal: AbortSignal, timeoutMs: number): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController()
  const onAbort = () => controller.abort(signal.reason)
  if (signal.aborted) controller.abort(signal.reason)
  signal.addEventListener('abort', onAbort, { once: true })
  const cancel = services.scheduler.after(timeoutMs, () => {
    const error = new Error(`request timed out after ${Math.round(timeoutMs / 1000)} s`)
    error.name = 'TimeoutError'
    controller.abort(error)
  })
  return {
    signal: controller.signal,
    done: () => {
      cancel()
      signal.removeEventListener('abort', onAbort)
    },
  }
}

/** Reads a string parameter as upstream does: trimmed; a blank required one throws `<name> required`. */
export function readString(args: Record<string, unknown>, name: string, required: true): string
export function readString(args: Record<string, unknown>, name: string, required?: false): string | undefined
export function readString(args: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = args[name]
  const text = typeof value === 'string' ? value.trim() : undefined
  if (required && !text) throw new Error(`${name} required`)
  return text || undefined
}

/** Reads a number parameter (numbers or numeric strings); `integer` truncates toward zero. */
export function readNumber(args: Record<string, unknown>, name: string, integer = false): number | undefined {
  const value = args[name]
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN
  if (!Number.isFinite(number)) return undefined
  return integer ? Math.trunc(number) : number
}
