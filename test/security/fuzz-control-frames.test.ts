import { describe, expect, it } from 'vitest'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { surface } from './control-surface-harness.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { controlUiConnectParams, openTestClient } from '../helpers/ws-client.js'
import { Fuzz, fuzzSeed, rssMiB } from './fuzz-random.js'

const PARAM_KEYS = ['sessionKey', 'key', 'label', 'message', 'idempotencyKey', 'limit', 'agentId', 'raw', 'baseHash', 'keys', 'model', 'cursor', 'maxBytes', 'includeGlobal', 'search', 'runId']

function randomFrame(fuzz: Fuzz, methods: readonly string[]): string {
  const roll = fuzz.int(10)
  if (roll === 0) return fuzz.string()
  if (roll === 1) return JSON.stringify(fuzz.value(4))
  if (roll === 2) return `{"type":"req","id":${JSON.stringify(fuzz.string())},"method":` // truncated JSON
  const frame: Record<string, unknown> = { type: fuzz.chance(0.9) ? 'req' : fuzz.string(), id: fuzz.chance(0.9) ? `f${fuzz.int(1e6)}` : fuzz.value(1) }
  frame.method = fuzz.chance(0.85) ? fuzz.pick(methods) : fuzz.string()
  if (fuzz.chance(0.9)) frame.params = fuzz.chance(0.8) ? fuzz.object(2, PARAM_KEYS) : fuzz.value(2)
  return JSON.stringify(frame)
}

describe('fuzz: control-socket frames', () => {
  it('10,000 frames before auth: every socket is refused cleanly, nothing is authenticated, memory stays flat', { timeout: 120_000 }, async () => {
    const fuzz = new Fuzz(fuzzSeed(9_001))
    const { open, methods, records } = await surface()
    const names = [...methods.keys(), 'connect']
    const startRss = rssMiB()
    for (let index = 0; index < 10_000; index += 1) {
      const { socket, session } = open()
      const connect = fuzz.chance(0.3)
      const frame = connect
        ? JSON.stringify({ type: 'req', id: 'c', method: 'connect', params: { ...controlUiConnectParams({ token: fuzz.chance(0.5) ? fuzz.string() : `${TEST_TOKEN}x` }), ...fuzz.object(1, ['minProtocol', 'maxProtocol', 'client', 'auth']) } })
        : randomFrame(fuzz, names)
      await session.receive(frame)
      await session.receive(randomFrame(fuzz, names))
      expect(session.phase, `case ${index} (seed ${fuzz.seed})`).toBe('closed')
      expect([1002, 1008, 1009]).toContain(socket.closedWith?.code)
      for (const text of socket.frames) expect(() => JSON.parse(text)).not.toThrow()
      expect(socket.frames.some((text) => text.includes('"hello-ok"'))).toBe(false)
    }
    expect(records.filter((record) => record.level === 'error')).toEqual([])
    expect(rssMiB() - startRss).toBeLessThan(300)
  })

  it('10,000 frames after auth: every request gets one res, bad input is INVALID_REQUEST, the config file is untouched by rejects', { timeout: 120_000 }, async () => {
    const fuzz = new Fuzz(fuzzSeed(4_242))
    const { open, methods, deps, files, records, background } = await surface()
    const names = [...methods.keys()]
    const { socket, session } = open()
    await session.receive(JSON.stringify({ type: 'req', id: 'c', method: 'connect', params: controlUiConnectParams({ token: TEST_TOKEN }) }))
    expect(session.phase).toBe('connected')
    const startRss = rssMiB()
    for (let index = 0; index < 10_000; index += 1) {
      const before = files[deps.state.configPath]
      const sentBefore = socket.frames.length
      const frame = randomFrame(fuzz, names)
      await session.receive(frame)
      const replies = socket.frames.slice(sentBefore).map((text) => JSON.parse(text)).filter((reply) => reply.type === 'res')
      expect(replies, `case ${index} (seed ${fuzz.seed}): ${frame.slice(0, 300)}`).toHaveLength(1)
      const [reply] = replies
      if (!reply.ok) {
        expect(reply.error.message, `case ${index}: ${frame.slice(0, 300)}`).not.toMatch(/see the gateway logs/)
        expect(files[deps.state.configPath]).toBe(before)
      }
      expect(session.phase).toBe('connected')
    }
    await Promise.allSettled(background)
    expect(records.filter((record) => record.level === 'error').map((record) => record.message)).toEqual([])
    expect(rssMiB() - startRss).toBeLessThan(400)
  })

  it('300 cases through real sockets: pre-auth garbage and floods of idle sockets leave the gateway answering', { timeout: 120_000 }, async () => {
    const fuzz = new Fuzz(fuzzSeed(77))
    const gateway = await startTestGateway()
    try {
      const startRss = rssMiB()
      for (let index = 0; index < 300; index += 1) {
        const client = await openTestClient(gateway.url, {})
        const big = fuzz.chance(0.2)
        client.sendRaw(big ? 'z'.repeat(1024 * 1024) : randomFrame(fuzz, ['connect', 'health', 'config.get']))
        const closed = await client.closed
        expect([1002, 1008, 1009]).toContain(closed.code)
      }
      const owner = await openTestClient(gateway.url, { token: TEST_TOKEN })
      expect((await owner.connect()).ok).toBe(true)
      expect((await owner.request('health', {})).ok).toBe(true)
      owner.close()
      expect(rssMiB() - startRss).toBeLessThan(200)
    } finally {
      await gateway.close()
    }
  })
})
