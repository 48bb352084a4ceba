import type { AgentRuntime } from '../agent/agent-runtime.js'
import { getDefaultAgentId } from '../config/config-lookup.js'
import { defineMethod, NoParams, type MethodDefinition } from './methods.js'

/**
 * Honest answers for upstream Control UI tabs whose features this gateway does not have (spec/protocol.md §4.8):
 * correctly shaped empty results, so clicking through Nodes, Skills or Config shows empty panels, not red pills.
 */
export function createUnsupportedFeatureMethods(agents: AgentRuntime): MethodDefinition[] {
  return [
    // No exec tool runs here, so there is no approvals file; `exists: false` makes the Nodes tab show empty defaults.
    defineMethod('exec.approvals.get', NoParams, () => ({ path: '', exists: false, hash: '', file: { version: 1, agents: {} } })),
    defineMethod('skills.status', NoParams, ({ deps }) => ({
      workspaceDir: agents.sessions.workspaceFor(getDefaultAgentId(deps.state.config)),
      managedSkillsDir: '',
      skills: [],
    })),
    // The UI shows a thrown error as a red pill; a result that says "skipped" is shown calmly (or not at all).
    defineMethod(
      'update.run',
      NoParams,
      () => ({
        ok: false,
        skipped: true,
        result: {
          status: 'skipped',
          reason: 'not-supported',
          message: 'This gateway updates by redeploying: run `git pull && fly deploy` (or rebuild the image).',
          steps: [],
          durationMs: 0,
        },
        restart: null,
      }),
      { admin: true },
    ),
  ]
}
