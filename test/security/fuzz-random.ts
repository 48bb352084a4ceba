/**
 * A seeded generator for the fuzz suites: the same seed yields the same cases, so a failure replays with
 * `FUZZ_SEED=<seed> npx vitest run test/security/<file>`. Values lean towards what breaks parsers and stores:
 * prototype keys, odd unicode, huge and empty strings, deep nesting, wrong types.
 */
export function fuzzSeed(fallback: number): number {
  const fromEnv = Number(process.env.FUZZ_SEED)
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback
}

export class Fuzz {
  #state: number

  constructor(readonly seed: number) {
    this.#state = seed >>> 0
  }

  /** mulberry32: small, fast, good enough for picking cases. */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  int(max: number): number {
    return Math.floor(this.next() * max)
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }

  string(): string {
    switch (this.int(12)) {
      case 0:
        return ''
      case 1:
        return this.pick(NASTY_KEYS)
      case 2:
        return 'x'.repeat(this.pick([255, 256, 257, 513, 4096, 70_000]))
      case 3:
        return this.pick(['${ANTHROPIC_API_KEY}', '$${HOME}', '${lower}', '${MISSING_VAR}', '$include', '../../etc/passwd'])
      case 4:
        return this.pick(['\u0000', '\ud800', '\u202e', '😀'.repeat(40), '\r\n', '%00', '\\'])
      case 5:
        return this.pick(['agent:main:main', 'agent:constructor:x', 'agent:__proto__:y', 'main', 'global', 'agent::'])
      default:
        return this.word()
    }
  }

  word(): string {
    const length = 1 + this.int(12)
    let text = ''
    for (let index = 0; index < length; index += 1) text += String.fromCharCode(97 + this.int(26))
    return text
  }

  /** A JSON-ish value up to `depth` levels; occasionally a deep chain. */
  value(depth = 3): unknown {
    const roll = this.int(10)
    if (roll === 0) return null
    if (roll === 1) return this.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER])
    if (roll === 2) return this.chance(0.5)
    if (roll <= 5 || depth <= 0) return this.string()
    if (roll === 6) return Array.from({ length: this.int(4) }, () => this.value(depth - 1))
    if (roll === 7 && this.chance(0.1)) return deepChain(this.pick([70, 500, 3_000]))
    return this.object(depth - 1)
  }

  object(depth = 2, keys: readonly string[] = []): Record<string, unknown> {
    const result: Record<string, unknown> = {}
    const count = this.int(5)
    for (let index = 0; index < count; index += 1) {
      const key = keys.length > 0 && this.chance(0.7) ? this.pick(keys) : this.chance(0.3) ? this.pick(NASTY_KEYS) : this.word()
      // defineProperty, so `__proto__` becomes an own key as it would from JSON.parse.
      Object.defineProperty(result, key, { value: this.value(depth), enumerable: true, writable: true, configurable: true })
    }
    return result
  }
}

export const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '$include', '']

export function deepChain(levels: number): unknown {
  let value: unknown = 'leaf'
  for (let index = 0; index < levels; index += 1) value = index % 2 === 0 ? { a: value } : [value]
  return value
}

/** Resident set size in MiB. */
export function rssMiB(): number {
  return process.memoryUsage().rss / (1024 * 1024)
}
