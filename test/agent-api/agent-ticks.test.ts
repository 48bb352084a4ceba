import { afterEach, describe, expect, it, vi } from 'vitest'
import { anthropicReply, gate } from '../helpers/fake-anthropic-server.js'
import type { TestClient } from '../helpers/ws-client.js'
import { callExpectFinal, cliAgentOutput, cliAgentParams, startApiFixture } from './api-fixture.js'

afterEach(() => {
  vi.useRealTimers()
})

/**
 * The CLI's keep-alive rule (spec/agent-api.md §1.4): close with 4000 `tick timeout` when no `tick` came for
 * 2 × tickIntervalMs, checked on an interval. Runs on the same (fake) clock as the gateway's ticks.
 */
function watchTicks(client: TestClient, tickIntervalMs: number) {
  let lastTick = Date.now()
  client.socket.on('message', (data) => {
    if (JSON.parse(String(data)).event === 'tick') lastTick = Date.now()
  })
  const timer = setInterval(() => {
    if (Date.now() - lastTick > tickIntervalMs * 2) client.socket.close(4000, 'tick timeout')
  }, tickIntervalMs)
  return () => clearInterval(timer)
}

/** Moves fake time forward in steps, letting real socket I/O through after each, so ticks reach the client. */
async function advance(totalMs: number, client: TestClient, stepMs = 5_000) {
  for (let elapsed = 0; elapsed < totalMs; elapsed += stepMs) {
    const ticksBefore = client.received.filter((frame) => frame.event === 'tick').length
    const due = Math.floor((Date.now() % 30_000) + stepMs) >= 30_000
    await vi.advanceTimersByTimeAsync(stepMs)
    if (due) await client.waitFor((frame) => frame.event === 'tick' && client.received.filter((seen) => seen.event === 'tick').length > ticksBefore)
  }
}

describe('agent runs longer than the CLI idle timeout (§7 check 4)', () => {
  it('keeps the socket open with ticks during a 95 s run and then delivers the final', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: 0 })
    const { anthropic, connect } = await startApiFixture()
    const hold = gate()
    anthropic.script(anthropicReply(['still ', hold, 'here']))
    const client = await connect()
    const hello = client.received.find((frame) => frame.payload?.type === 'hello-ok')
    const tickIntervalMs = hello?.payload.policy.tickIntervalMs as number
    expect(tickIntervalMs).toBe(30_000)
    const stop = watchTicks(client, tickIntervalMs)
    const pending = callExpectFinal(client, 'agent', cliAgentParams('take your time', { sessionId: 'slow' }))
    await hold.reached
    await advance(95_000, client)
    expect(client.received.filter((frame) => frame.event === 'tick').length).toBeGreaterThanOrEqual(3)
    expect(client.socket.readyState).toBe(client.socket.OPEN)
    hold.open()
    const { final } = await pending
    stop()
    expect(cliAgentOutput(final.payload)).toBe('still here')
  })

  it('without ticks the same watchdog closes the socket with 4000, so the check above can fail', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: 0 })
    // A gateway that ticks far too rarely stands in for one that never ticks during runs.
    const { connect } = await startApiFixture({ control: { timing: { tickIntervalMs: 600_000 } } })
    const client = await connect()
    const stop = watchTicks(client, 30_000)
    await vi.advanceTimersByTimeAsync(95_000)
    expect(await client.closed).toEqual({ code: 4000, reason: 'tick timeout' })
    stop()
  })
})
