/** One `system-presence` entry (spec/protocol.md §4.4); every field but `ts` is optional. */
export interface PresenceEntry {
  ts: number
  host?: string
  ip?: string
  version?: string
  platform?: string
  deviceFamily?: string
  modelIdentifier?: string
  mode?: string
  reason?: string
  text?: string
  instanceId?: string
  roles?: string[]
  scopes?: string[]
}

/** What an authenticated client told us about itself in `connect`. */
export interface ConnectionInfo {
  connId: string
  clientId: string
  clientVersion?: string
  platform?: string
  mode?: string
  displayName?: string
  instanceId?: string
  deviceFamily?: string
  modelIdentifier?: string
  role: string
  scopes: string[]
  remoteAddress?: string
  userAgent?: string
  connectedAt: number
  /** Capabilities the client declared in `connect` (e.g. `tool-events`: tool cards even when verbose is off). */
  caps?: string[]
}

/** Options for one event send. */
export interface SendEventOptions {
  /** Skip the event (instead of closing the socket) when the client is a slow consumer, as upstream does. */
  dropIfSlow?: boolean
  /** Rides on `presence` and `health` events; the UI ignores it but other clients may not. */
  stateVersion?: { presence: number; health: number }
}

/** The handle method handlers and broadcasters get for one authenticated connection. */
export interface ControlConnection {
  readonly info: ConnectionInfo
  /** Session keys this client showed interest in (e.g. through `chat.history`), for targeted broadcasts. */
  readonly watchedSessions: Set<string>
  /** Sends an event stamped with this connection's next `seq`; false when it was dropped or the socket is gone. */
  sendEvent(event: string, payload: unknown, options?: SendEventOptions): boolean
  close(code: number, reason: string): void
}

/** Every authenticated control connection of this gateway (per isolate on Workers). */
export interface ConnectionRegistry {
  add(connection: ControlConnection): void
  remove(connId: string): boolean
  get(connId: string): ControlConnection | undefined
  list(): ControlConnection[]
  readonly size: number
  /**
   * Sends one event to every connection the filter accepts (all by default); returns how many got it.
   * @example connections.broadcast('chat', payload, (connection) => connection.watchedSessions.has(sessionKey))
   */
  broadcast(
    event: string,
    payload: unknown,
    filter?: (connection: ControlConnection) => boolean,
    options?: SendEventOptions,
  ): number
  /** The presence list the UI's Instances view shows, one entry per connection. */
  presence(): PresenceEntry[]
  /** Bumped on every join and leave; rides on `presence` events as `stateVersion.presence`. */
  readonly presenceVersion: number
  closeAll(code: number, reason: string): void
}

/** Creates the in-memory registry; one per gateway process or Workers isolate. */
export function createConnectionRegistry(): ConnectionRegistry {
  const connections = new Map<string, ControlConnection>()
  let presenceVersion = 1
  return {
    add(connection) {
      connections.set(connection.info.connId, connection)
      presenceVersion += 1
    },
    remove(connId) {
      const removed = connections.delete(connId)
      if (removed) presenceVersion += 1
      return removed
    },
    get: (connId) => connections.get(connId),
    list: () => [...connections.values()],
    get size() {
      return connections.size
    },
    broadcast(event, payload, filter, options) {
      let delivered = 0
      // Copy first: a send may close a slow consumer, which removes it from the map mid-iteration.
      for (const connection of [...connections.values()]) {
        if (filter && !filter(connection)) continue
        if (connection.sendEvent(event, payload, options)) delivered += 1
      }
      return delivered
    },
    presence: () => [...connections.values()].map((connection) => toPresenceEntry(connection.info)),
    get presenceVersion() {
      return presenceVersion
    },
    closeAll(code, reason) {
      for (const connection of [...connections.values()]) connection.close(code, reason)
    },
  }
}

function toPresenceEntry(info: ConnectionInfo): PresenceEntry {
  const entry: PresenceEntry = {
    ts: info.connectedAt,
    host: info.displayName ?? info.clientId,
    mode: info.mode ?? 'operator',
    reason: 'connect',
    instanceId: info.instanceId ?? info.connId,
    roles: [info.role],
    scopes: info.scopes,
  }
  if (info.remoteAddress) entry.ip = info.remoteAddress
  if (info.clientVersion) entry.version = info.clientVersion
  if (info.platform) entry.platform = info.platform
  if (info.deviceFamily) entry.deviceFamily = info.deviceFamily
  if (info.modelIdentifier) entry.modelIdentifier = info.modelIdentifier
  return entry
}
