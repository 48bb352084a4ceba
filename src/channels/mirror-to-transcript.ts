import type { AgentSessions } from '../agent/agent-sessions.js'
import type { ResolvedConfig } from '../config/load-config.js'
import { EMPTY_USAGE } from '../providers/model-provider.js'
import { resolveResetPolicy, sessionResetType } from '../sessions/reset-policy.js'
import { resolveSession } from '../sessions/resolve-session.js'
import { createMessageEntry } from '../sessions/transcript-entry.js'

/** Where a delivered message is mirrored: the session, and the route it went to (recorded as its last route). */
export interface MirrorTarget {
  agentId: string
  sessionKey: string
  channel: string
  to: string
}

/**
 * Appends a message the gateway sent without a run (`send`) to a session's transcript as an assistant message, so
 * the conversation shows it and the next turn knows it was said. Creates the session when missing.
 * @see spec/agent-api.md §3 "Mirror"
 */
export async function mirrorToTranscript(sessions: AgentSessions, config: ResolvedConfig, now: () => number, target: MirrorTarget, text: string): Promise<void> {
  const policy = resolveResetPolicy(config.session, { type: sessionResetType(target.sessionKey), channel: target.channel })
  const store = sessions.store(target.agentId)
  const { entry } = await resolveSession({ store, transcripts: sessions.transcripts, key: target.sessionKey, now, policy, channel: target.channel, patch: { lastTo: target.to } })
  const head = (await sessions.transcripts.read(target.agentId, entry.sessionId, { limit: 1 })).at(-1)
  const message = { role: 'assistant' as const, content: [{ type: 'text' as const, text }], provider: 'gateway', model: 'delivery-mirror', usage: { ...EMPTY_USAGE }, stopReason: 'stop' as const, timestamp: now() }
  await sessions.append(target.agentId, entry.sessionId, [createMessageEntry(message, head && 'id' in head ? head.id : null, now())])
}
