import { getDefaultAgentId } from '../config/config-lookup.js'
import type { ResolvedConfig } from '../config/load-config.js'
import { canonicalizeSessionKey } from '../sessions/session-key.js'
import type { SessionAccess } from '../tools/session-access.js'
import type { AgentRuntime } from './agent-runtime.js'

// Enough for the session tools; the model should not page through whole archives.
const MAX_HISTORY = 200

/** The session tools' view of the runtime: stores, transcripts, and `send` on the internal channel. */
export function createSessionAccess(runtime: AgentRuntime, config: () => ResolvedConfig): SessionAccess {
  return {
    async list(agentId) {
      return (await runtime.sessions.store(agentId).list()).map(({ key, entry }) => ({ key, entry: entry as typeof entry & Record<string, unknown> }))
    },
    async history(agentId, sessionKey, limit) {
      const entry = await runtime.sessions.store(agentId).get(sessionKey)
      if (!entry) return []
      const lines = await runtime.sessions.transcripts.read(agentId, entry.sessionId, { limit: Math.min(limit, MAX_HISTORY) })
      return lines.flatMap((line) => (line.type === 'message' && 'message' in line ? [line.message as Record<string, unknown>] : []))
    },
    send(agentId, sessionKey, message) {
      const handle = runtime.send({ agentId, sessionKey, text: message, channel: 'internal' })
      const done = handle.done.then((outcome) =>
        outcome.kind === 'completed'
          ? ({ status: 'ok', reply: outcome.text } as const)
          : ({ status: 'error', error: outcome.kind === 'failed' ? outcome.message : 'aborted' } as const),
      )
      return { runId: handle.runId, done }
    },
    canonicalKey: (sessionKey) => canonicalizeSessionKey(sessionKey, getDefaultAgentId(config())),
  }
}
