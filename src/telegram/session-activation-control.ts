import type { AgentRuntime } from '../agent/agent-runtime.js'

/** A group conversation's `/activation` setting, kept on its session entry (`groupActivation`), not in the config. */
export interface SessionActivationControl {
  get(sessionKey: string, agentId: string): Promise<'always' | 'mention' | undefined>
  set(sessionKey: string, agentId: string, activation: 'always' | 'mention'): Promise<void>
}

/** Reads and writes `groupActivation` through the runtime's session store. */
export function createSessionActivationControl(runtime: AgentRuntime, now: () => number): SessionActivationControl {
  return {
    async get(sessionKey, agentId) {
      const value = (await runtime.sessions.store(agentId).get(sessionKey))?.groupActivation
      return value === 'always' || value === 'mention' ? value : undefined
    },
    async set(sessionKey, agentId, activation) {
      await runtime.sessions
        .store(agentId)
        .update(sessionKey, (current) => ({ ...(current ?? { sessionId: crypto.randomUUID(), updatedAt: now() }), groupActivation: activation }))
    },
  }
}
