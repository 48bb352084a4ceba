/*
 * The few Workers runtime types this adapter uses, declared here instead of pulling @cloudflare/workers-types into the
 * whole project (its globals clash with the DOM and Node typings the rest of the tree compiles against).
 * @see https://developers.cloudflare.com/durable-objects/api/
 */

/** A SQL cursor: rows as plain objects. */
export interface SqlCursor<Row> extends Iterable<Row> {
  toArray(): Row[]
  one(): Row
}

/** `ctx.storage.sql` of a SQLite-backed Durable Object. */
export interface SqlStorage {
  exec<Row = Record<string, SqlValue>>(query: string, ...bindings: SqlValue[]): SqlCursor<Row>
}

export type SqlValue = string | number | null | ArrayBuffer

/** `ctx.storage` of a SQLite-backed Durable Object, limited to what the gateway uses. */
export interface DurableObjectStorage {
  sql: SqlStorage
  transactionSync<T>(closure: () => T): T
  getAlarm(): Promise<number | null>
  setAlarm(scheduledTime: number): Promise<void>
  deleteAlarm(): Promise<void>
}

/** A server-side WebSocket as the hibernation API hands it back. */
export interface HibernatableSocket {
  send(message: string | ArrayBuffer): void
  close(code?: number, reason?: string): void
  serializeAttachment(value: unknown): void
  deserializeAttachment(): unknown
  readonly readyState: number
}

/** `this.ctx` of a Durable Object. */
export interface DurableObjectState {
  readonly id: { toString(): string }
  readonly storage: DurableObjectStorage
  acceptWebSocket(socket: HibernatableSocket, tags?: string[]): void
  getWebSockets(tag?: string): HibernatableSocket[]
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>
  waitUntil(promise: Promise<unknown>): void
}

/** A Durable Object stub: `fetch` plus the RPC methods of the class it points at. */
export interface DurableObjectStub {
  fetch(request: Request): Promise<Response>
}

export interface DurableObjectNamespace {
  idFromName(name: string): unknown
  get(id: unknown): DurableObjectStub
}

/** The Worker's `ctx` (`waitUntil` is capped at 30 s after the response, so long work runs in the object). */
export interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void
  passThroughOnException(): void
}
