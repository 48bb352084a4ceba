import type { Scheduler } from '../deps.js'
import { MAX_PENDING_SOCKETS, MAX_PENDING_SOCKETS_PER_CLIENT } from './protocol.js'

/** Counts sockets that have not completed `connect`, per client address and in total. */
export interface PendingSockets {
  /** A release function when the client may open one more, `undefined` when it is over its bound. */
  acquire(address: string): (() => void) | undefined
  readonly size: number
}

/**
 * Bounds unauthenticated sockets so a flood of idle upgrades cannot pile up memory. A ticket is released when the
 * handshake ends or the socket closes; `expiryMs` (past the handshake timeout) releases one whose socket never
 * opened, since then neither happens.
 */
export function createPendingSockets(
  scheduler: Scheduler,
  expiryMs: number,
  limits = { perClient: MAX_PENDING_SOCKETS_PER_CLIENT, total: MAX_PENDING_SOCKETS },
): PendingSockets {
  const counts = new Map<string, number>()
  let total = 0
  return {
    get size() {
      return total
    },
    acquire(address) {
      const held = counts.get(address) ?? 0
      if (held >= limits.perClient || total >= limits.total) return undefined
      counts.set(address, held + 1)
      total += 1
      let released = false
      const release = () => {
        if (released) return
        released = true
        cancel()
        total -= 1
        const left = (counts.get(address) ?? 1) - 1
        if (left <= 0) counts.delete(address)
        else counts.set(address, left)
      }
      const cancel = scheduler.after(expiryMs, release)
      return release
    },
  }
}
