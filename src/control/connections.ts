import type { Scheduler } from '../deps.js'
import { SerializedPayload } from './event-frame-text.js'

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
   * Sends one event to every connection the filter accepts (all by default); returns how many got it. The payload is
   * serialised once for all of them.
   * @example connections.broadcast('chat', payload, (connection) => connection.watchedSessions.has(sessionKey))
   */
  broadcast(
    event: string,
    payload: unknown,
    filter?: (connection: ControlConnection) => boolean,
    options?: SendEventOptions,
  ): number
  /** The presence list the UI's Instances view shows: one entry per connected client that is not a CLI. */
  presence(): PresenceEntry[]
  /** Bumped when a presence entry comes or goes; rides on `presence` events as `stateVersion.presence`. */
  readonly presenceVersion: number
  /**
   * Broadcasts the presence list if it changed since the last broadcast: the first change at once, later ones at most
   * once per `presenceIntervalMs`, so a burst of joins costs one broadcast instead of one per join.
   */
  announcePresence(): void
  closeAll(code: number, reason: string): void
}

/** How the registry paces presence broadcasts. */
export interface ConnectionRegistryOptions {
  /** Times the trailing broadcast of a burst; without it every change is broadcast at once. */
  scheduler?: Pick<Scheduler, 'after'>
  presenceIntervalMs?: number
}

// Long enough to fold a reconnect storm into a few broadcasts, short enough that the Instances view looks live.
const PRESENCE_INTERVAL_MS = 250

/** Creates the in-memory registry; one per gateway process or Workers isolate. */
export function createConnectionRegistry(options: ConnectionRegistryOptions = {}): ConnectionRegistry {
  const connections = new Map<string, ControlConnection>()
  const entries = new Map<string, PresenceEntry>()
  let entryList: PresenceEntry[] | undefined
  let presenceVersion = 1
  let announcedVersion = presenceVersion
  let coolingDown = false
  const intervalMs = options.presenceIntervalMs ?? PRESENCE_INTERVAL_MS

  const registry: ConnectionRegistry = {
    add(connection) {
      connections.set(connection.info.connId, connection)
      // Upstream keeps no presence for CLI clients, so scripted clients never fan out to everyone else.
      if (!tracksPresence(connection.info)) return
      entries.set(connection.info.connId, toPresenceEntry(connection.info))
      entryList = undefined
      presenceVersion += 1
    },
    remove(connId) {
      const removed = connections.delete(connId)
      if (entries.delete(connId)) {
        entryList = undefined
        presenceVersion += 1
      }
      return removed
    },
    get: (connId) => connections.get(connId),
    list: () => [...connections.values()],
    get size() {
      return connections.size
    },
    broadcast(event, payload, filter, sendOptions) {
      const shared = payload instanceof SerializedPayload ? payload : SerializedPayload.of(payload)
      let delivered = 0
      // Copy first: a send may close a slow consumer, which removes it from the map mid-iteration.
      for (const connection of [...connections.values()]) {
        if (filter && !filter(connection)) continue
        if (connection.sendEvent(event, shared, sendOptions)) delivered += 1
      }
      return delivered
    },
    presence: () => (entryList ??= [...entries.values()]),
    get presenceVersion() {
      return presenceVersion
    },
    announcePresence() {
      if (presenceVersion === announcedVersion || coolingDown) return
      announcedVersion = presenceVersion
      const stateVersion = { presence: presenceVersion, health: 1 }
      registry.broadcast('presence', { presence: registry.presence() }, undefined, { dropIfSlow: true, stateVersion })
      if (!options.scheduler) return
      coolingDown = true
      options.scheduler.after(intervalMs, () => {
        coolingDown = false
        registry.announcePresence()
      })
    },
    closeAll(code, reason) {
      for (const connection of [...connections.values()]) connection.close(code, reason)
    },
  }
  return registry
}

function tracksPresence(info: ConnectionInfo): boolean {
  return info.mode?.trim().toLowerCase() !== 'cli'
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
