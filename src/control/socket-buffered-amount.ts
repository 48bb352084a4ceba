import type { WSContext } from 'hono/ws'

/**
 * Bytes a socket has queued but not yet sent, for slow-consumer checks. Node's `ws` socket (hono's `ws.raw`)
 * reports `bufferedAmount`; runtimes without it (Workers' server-side socket) count as 0, so they are never closed
 * as slow. Kept in one place so a runtime with its own measure only changes this function.
 */
export function socketBufferedAmount(ws: WSContext<unknown>): number {
  const raw = ws.raw as { bufferedAmount?: unknown } | undefined
  const amount = raw?.bufferedAmount
  return typeof amount === 'number' && Number.isFinite(amount) ? amount : 0
}
