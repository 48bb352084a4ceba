import type { LogRecord } from './log-record.js'
import { toJsonLogLine } from './format-log-line.js'

/** One retained line and the virtual byte offset where it ends, so cursors behave like file offsets. */
export interface RingLine {
  record: LogRecord
  line: string
  end: number
}

/**
 * Keeps the most recent log lines in memory for `logs.tail` and the overview's "recent errors".
 * Offsets grow as if the lines were appended to a file, which is what the upstream cursor protocol expects.
 */
export class LogRing {
  readonly capacity: number
  #lines: RingLine[] = []
  #size = 0
  #encoder = new TextEncoder()

  constructor(capacity = 2000) {
    this.capacity = capacity
  }

  push(record: LogRecord): void {
    const line = toJsonLogLine(record)
    this.#size += this.#encoder.encode(line).byteLength + 1
    this.#lines.push({ record, line, end: this.#size })
    if (this.#lines.length > this.capacity) this.#lines.splice(0, this.#lines.length - this.capacity)
  }

  /** Total bytes ever written: the cursor a client gets back. */
  get size(): number {
    return this.#size
  }

  /** Lines still retained, oldest first. */
  lines(): readonly RingLine[] {
    return this.#lines
  }
}
