/**
 * What the session tools need from the agent runtime, as a small interface so `tools/` does not depend on
 * `agent/` (the runtime implements it).
 */
export interface SessionAccess {
  /** Every session of an agent with its stored entry fields. */
  list(agentId: string): Promise<{ key: string; entry: Record<string, unknown> & { sessionId: string; updatedAt: number } }[]>
  /** Transcript messages of a session (pi-ai shapes), oldest first, at most `limit`. */
  history(agentId: string, sessionKey: string, limit: number): Promise<Record<string, unknown>[]>
  /** Runs the session with a message (internal channel, nothing delivered) and resolves with the outcome. */
  send(agentId: string, sessionKey: string, message: string): { runId: string; done: Promise<{ status: 'ok'; reply: string } | { status: 'error'; error: string }> }
  /** The canonical form of a key (`main` → `agent:main:main`). */
  canonicalKey(sessionKey: string): string
}
