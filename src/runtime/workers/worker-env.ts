import type { DurableObjectNamespace } from './workers-types.js'

/** The Worker's bindings: the gateway object, plus string vars and secrets (provider keys, tokens, base URLs). */
export interface WorkerEnv {
  GATEWAY: DurableObjectNamespace
  [name: string]: unknown
}

/** The one gateway object of this deployment; its name is fixed so every request reaches the same instance. */
export const GATEWAY_OBJECT_NAME = 'gateway'

/** The string-valued bindings (vars and secrets) as the gateway's environment; other bindings are left out. */
export function toEnvironment(env: WorkerEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
}
