import { defineDriver } from 'unstorage'
import type { DurableObjectStorage, SqlValue } from './workers-types.js'

const DRIVER_NAME = 'durable-object'
const TABLE = 'unstorage_items'
// SQLite-backed objects cap a string or BLOB at 2 MB; values are split into parts below that.
const MAX_PART_BYTES = 1_000_000
// A UTF-16 code unit is at most 3 UTF-8 bytes, so this many characters always fit in one part.
const MAX_PART_CHARS = Math.floor(MAX_PART_BYTES / 3)
// Durable Object keys are capped at 2 KiB; ours are short, so a longer one is a bug worth naming.
const MAX_KEY_BYTES = 2_048

/** Options of `durableObjectDriver`: the object's storage (`this.ctx.storage`). */
export interface DurableObjectDriverOptions {
  storage: Pick<DurableObjectStorage, 'sql' | 'transactionSync'>
}

interface PartRow extends Record<string, SqlValue> {
  part: number
  kind: string
  value: string | ArrayBuffer
}

/**
 * unstorage driver over a SQLite-backed Durable Object's storage. Each write is one synchronous SQLite transaction,
 * so readers see a whole document or the previous one, and there is exactly one writer (the object). Values larger
 * than the 2 MB row limit (the session index grows) are split into parts of one key.
 * @see https://developers.cloudflare.com/durable-objects/platform/limits/
 */
export const durableObjectDriver = defineDriver((options: DurableObjectDriverOptions) => {
  if (!options?.storage?.sql) {
    throw new Error(`[unstorage] [${DRIVER_NAME}] missing option "storage": pass this.ctx.storage of a SQLite-backed Durable Object`)
  }
  const { sql } = options.storage
  sql.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (key TEXT NOT NULL, part INTEGER NOT NULL, kind TEXT NOT NULL, value BLOB, PRIMARY KEY (key, part))`)

  const read = (key: string): string | Uint8Array | null => {
    const rows = sql.exec<PartRow>(`SELECT part, kind, value FROM ${TABLE} WHERE key = ? ORDER BY part`, key).toArray()
    if (rows.length === 0) return null
    if (rows[0]!.kind === 's') return rows.map((row) => row.value as string).join('')
    const parts = rows.map((row) => new Uint8Array(row.value as ArrayBuffer))
    const bytes = new Uint8Array(parts.reduce((total, part) => total + part.length, 0))
    let offset = 0
    for (const part of parts) {
      bytes.set(part, offset)
      offset += part.length
    }
    return bytes
  }

  const write = (key: string, value: unknown): void => {
    checkKey(key)
    const parts = toParts(value)
    options.storage.transactionSync(() => {
      sql.exec(`DELETE FROM ${TABLE} WHERE key = ?`, key)
      for (const [index, part] of parts.values.entries()) {
        sql.exec(`INSERT INTO ${TABLE} (key, part, kind, value) VALUES (?, ?, ?, ?)`, key, index, parts.kind, part)
      }
    })
  }

  const keysUnder = (base: string): string[] =>
    sql
      .exec<{ key: string }>(`SELECT key FROM ${TABLE} WHERE part = 0 AND substr(key, 1, ?) = ? ORDER BY key`, base.length, base)
      .toArray()
      .map((row) => row.key)

  return {
    name: DRIVER_NAME,
    options,
    hasItem: (key) => sql.exec(`SELECT 1 FROM ${TABLE} WHERE key = ? AND part = 0`, key).toArray().length > 0,
    getItem: (key) => {
      const value = read(key)
      return value instanceof Uint8Array ? new TextDecoder().decode(value) : value
    },
    getItemRaw: (key) => read(key),
    setItem: (key, value) => write(key, value),
    setItemRaw: (key, value) => write(key, value),
    removeItem: (key) => {
      sql.exec(`DELETE FROM ${TABLE} WHERE key = ?`, key)
    },
    getKeys: (base) => keysUnder(base ?? ''),
    clear: (base) => {
      sql.exec(`DELETE FROM ${TABLE} WHERE substr(key, 1, ?) = ?`, (base ?? '').length, base ?? '')
    },
  }
})

function checkKey(key: string): void {
  if (new TextEncoder().encode(key).length > MAX_KEY_BYTES) {
    throw new Error(`[unstorage] [${DRIVER_NAME}] key longer than ${MAX_KEY_BYTES} bytes: shorten the id it was built from`)
  }
}

function toParts(value: unknown): { kind: 's' | 'b'; values: SqlValue[] } {
  if (typeof value === 'string') return { kind: 's', values: splitText(value) }
  const bytes = value instanceof Uint8Array ? value : value instanceof ArrayBuffer ? new Uint8Array(value) : undefined
  if (bytes === undefined) {
    throw new TypeError(`[unstorage] [${DRIVER_NAME}] cannot store a value of type ${typeof value}; pass a string or bytes`)
  }
  const values: SqlValue[] = []
  for (let offset = 0; offset < bytes.length || values.length === 0; offset += MAX_PART_BYTES) {
    values.push(bytes.slice(offset, offset + MAX_PART_BYTES).buffer)
  }
  return { kind: 'b', values }
}

// Cuts at part boundaries without splitting a surrogate pair, so each part is valid text on its own.
function splitText(text: string): string[] {
  const parts: string[] = []
  let offset = 0
  do {
    let end = Math.min(text.length, offset + MAX_PART_CHARS)
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1
    parts.push(text.slice(offset, end))
    offset = end
  } while (offset < text.length)
  return parts
}
