import { describe, expect, it } from 'vitest'
import { isProcessAlive, parseProcessStartTime, readProcessStartTime } from './process-identity.js'

// Fields 3..52 of a real stat line; starttime (field 22) is 8123456.
const TAIL = 'S 1 42 42 0 -1 4194560 1234 0 0 0 5 3 0 0 20 0 11 0 8123456 1000000 500 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 17 2 0 0 0 0 0'

describe('parseProcessStartTime', () => {
  it('reads field 22 of a plain stat line', () => {
    expect(parseProcessStartTime(`4242 (node) ${TAIL}\n`)).toBe(8123456)
  })

  it('counts fields after the last parenthesis when the command name holds spaces and parentheses', () => {
    expect(parseProcessStartTime(`4242 (my (odd) gateway 1 2 3) ${TAIL}`)).toBe(8123456)
    expect(parseProcessStartTime(`4242 ()) ) ${TAIL}`)).toBe(8123456)
  })

  it('returns undefined for a truncated or garbled line', () => {
    expect(parseProcessStartTime('4242 (node) S 1 42')).toBeUndefined()
    expect(parseProcessStartTime('no parenthesis here')).toBeUndefined()
    expect(parseProcessStartTime('')).toBeUndefined()
  })
})

describe('readProcessStartTime', () => {
  it.runIf(process.platform === 'linux')('reads this process from /proc', () => {
    expect(readProcessStartTime(process.pid)).toBeGreaterThan(0)
  })
})

describe('isProcessAlive', () => {
  it('reports this process alive and refuses pids that would address a process group', () => {
    expect(isProcessAlive(process.pid)).toBe(true)
    expect(() => isProcessAlive(0)).toThrow(RangeError)
    expect(() => isProcessAlive(-1)).toThrow(RangeError)
  })
})
