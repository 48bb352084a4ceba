import type { AgentSessions } from '../agent/agent-sessions.js'
import type { TranscriptMessageEntry } from '../sessions/transcript-entry.js'

// Upstream caps chat.history at 6 MiB of JSON and drops the oldest messages first.
const MAX_HISTORY_BYTES = 6 * 1024 * 1024

/**
 * The messages of a session in the pi-ai shapes the Control UI renders, oldest first, at most `limit` and at most
 * 6 MiB. An unknown session gives an empty list, never an error.
 */
export async function readChatHistory(
  sessions: AgentSessions,
  agentId: string,
  sessionKey: string,
  limit: number,
): Promise<{ sessionId?: string; messages: unknown[]; thinkingLevel?: string }> {
  const entry = await sessions.store(agentId).get(sessionKey)
  if (!entry) return { messages: [] }
  const lines = await sessions.transcripts.read(agentId, entry.sessionId, { limit })
  const messages = lines
    .filter((line): line is TranscriptMessageEntry => line.type === 'message' && 'message' in line)
    // A bare `/new` stores our greeting instruction as the user turn; clients would show it as something the user said.
    .filter((line) => (line.message as { purpose?: unknown }).purpose !== 'session-greeting')
    .map((line) => ({ ...line.message, id: line.id }))
    .slice(-limit)
  const encoder = new TextEncoder()
  let bytes = messages.reduce((sum, message) => sum + encoder.encode(JSON.stringify(message)).byteLength, 0)
  while (bytes > MAX_HISTORY_BYTES && messages.length > 1) {
    bytes -= encoder.encode(JSON.stringify(messages.shift())).byteLength
  }
  return { sessionId: entry.sessionId, messages, ...(entry.thinkingLevel ? { thinkingLevel: entry.thinkingLevel } : {}) }
}
