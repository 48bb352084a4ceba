import type { AgentRuntime } from '../agent/agent-runtime.js'
import type { DiscordSessionControl } from './interaction-scope.js'

/** `/model` for Discord: reads and sets the conversation's model override in the runtime's session store. */
export function createSessionModelControl(runtime: AgentRuntime, now: () => number): DiscordSessionControl {
  return {
    async getModel(sessionKey, agentId) {
      return (await runtime.sessions.store(agentId).get(sessionKey))?.modelOverride
    },
    async setModel(sessionKey, agentId, ref) {
      await runtime.sessions
        .store(agentId)
        .update(sessionKey, (current) => ({ ...(current ?? { sessionId: crypto.randomUUID(), updatedAt: now() }), modelOverride: ref }))
    },
  }
}
