import type { ConnectionInfo } from './connections.js'
import type { ConnectParams } from './protocol.js'

/** Turns accepted `connect` params into the registry's record; an operator with no scopes gets admin (spec §3.6). */
export function toConnectionInfo(connId: string, params: ConnectParams, now: number, remoteAddress?: string): ConnectionInfo {
  const client = params.client ?? {}
  const scopes = params.scopes && params.scopes.length > 0 ? params.scopes : ['operator.admin']
  return {
    connId,
    clientId: client.id ?? 'unknown',
    clientVersion: client.version,
    platform: client.platform,
    mode: client.mode,
    displayName: client.displayName,
    instanceId: client.instanceId,
    deviceFamily: client.deviceFamily,
    modelIdentifier: client.modelIdentifier,
    role: params.role ?? 'operator',
    scopes,
    remoteAddress,
    userAgent: params.userAgent,
    connectedAt: now,
    caps: (params.caps ?? []).filter((cap): cap is string => typeof cap === 'string'),
  }
}
