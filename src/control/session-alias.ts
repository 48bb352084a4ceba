import type { ControlConnection } from './connections.js'

/**
 * The spelling of a session key a connection used (`main` vs `agent:main:main`), if it watches that session;
 * events echo it because upstream clients compare keys as exact strings (spec/protocol.md §6.1).
 */
export function sessionAliasFor(connection: ControlConnection, canonicalKey: string, canonical: (key: string) => string): string | undefined {
  for (const watched of connection.watchedSessions) if (canonical(watched) === canonicalKey) return watched
  return undefined
}
