import { z } from 'zod'
import type { RunLifecycleCache } from './run-lifecycle-cache.js'
import { parseMethodParams } from './method-params.js'
import type { MethodDefinition } from './methods.js'

const DEFAULT_TIMEOUT_MS = 30_000
const AgentWaitParams = z.strictObject({ runId: z.string().min(1), timeoutMs: z.number().int().min(0).optional() })

/**
 * `agent.wait` (spec/agent-api.md §2): waits for a run's lifecycle end, answering at once for runs that ended in
 * the last ten minutes; `{runId, status:"timeout"}` otherwise. Never stops the run; always `ok:true`.
 */
export function createAgentWaitMethod(lifecycle: RunLifecycleCache): MethodDefinition {
  return {
    name: 'agent.wait',
    admin: false,
    async call({ deps }, raw) {
      const params = parseMethodParams('agent.wait', AgentWaitParams, raw)
      const end = await lifecycle.wait(params.runId, Math.floor(params.timeoutMs ?? DEFAULT_TIMEOUT_MS), deps.scheduler)
      if (end === undefined) return { runId: params.runId, status: 'timeout' }
      return end
    },
  }
}
