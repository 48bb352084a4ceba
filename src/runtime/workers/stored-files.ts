import type { SqlStorage } from './workers-types.js'

const TABLE = 'gateway_files'
// One SQLite row holds at most 2 MB; a config or workspace file that large is a mistake worth naming.
const MAX_FILE_BYTES = 1_900_000

/** The object's small text files (the config, workspace bootstrap files) by absolute path. */
export interface StoredFiles {
  read(path: string): string | undefined
  write(path: string, text: string): void
  /** Every stored path under `prefix` (which ends in `/`), sorted. */
  list(prefix: string): string[]
}

/**
 * Text files kept in the gateway object's SQLite database: Workers have no persistent filesystem, and the config
 * must survive restarts and be editable through `config.*`. `seed` answers for a path never written (the config from
 * the `CLAWDBOT_CONFIG` var), so a stored edit always wins over it.
 */
export function createStoredFiles(sql: SqlStorage, seed: (path: string) => string | undefined = () => undefined): StoredFiles {
  sql.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (path TEXT PRIMARY KEY, text TEXT NOT NULL)`)
  return {
    read(path) {
      const rows = sql.exec<{ text: string }>(`SELECT text FROM ${TABLE} WHERE path = ?`, path).toArray()
      return rows.length > 0 ? rows[0]!.text : seed(path)
    },
    write(path, text) {
      if (new TextEncoder().encode(text).length > MAX_FILE_BYTES) {
        throw new Error(`[workers] ${path} is larger than ${MAX_FILE_BYTES} bytes; a Durable Object row holds at most 2 MB`)
      }
      sql.exec(`INSERT INTO ${TABLE} (path, text) VALUES (?, ?) ON CONFLICT (path) DO UPDATE SET text = excluded.text`, path, text)
    },
    list(prefix) {
      return sql
        .exec<{ path: string }>(`SELECT path FROM ${TABLE} WHERE substr(path, 1, ?) = ? ORDER BY path`, prefix.length, prefix)
        .toArray()
        .map((row) => row.path)
    },
  }
}
