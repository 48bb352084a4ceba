import { describe, expect, it } from 'vitest'
import type { RunEvent } from '../agent/run-events.js'
import { AgentEventBridge } from './agent-event-bridge.js'
import { createConnectionRegistry, type ControlConnection } from './connections.js'
import { toEventFrameText } from './event-frame-text.js'

function operator(connId: string): ControlConnection & { frames: Array<{ payload: { seq: number; stream: string; data: Record<string, unknown> } }> } {
  const frames: Array<{ payload: { seq: number; stream: string; data: Record<string, unknown> } }> = []
  return {
    info: { connId, clientId: 'cli', mode: 'cli', role: 'operator', scopes: ['operator.admin'], connectedAt: 0 },
    watchedSessions: new Set(),
    frames,
    sendEvent: (event, payload) => (frames.push(JSON.parse(toEventFrameText(event, payload, frames.length + 1))), true),
    close() {},
  }
}

const delta = (text: string, piece: string, at: number): RunEvent => ({ type: 'run-delta', runId: 'r1', sessionKey: 'agent:main:main', text, delta: piece, at })

describe('AgentEventBridge', () => {
  it('paces assistant events per run and flushes the held text before the run ends, with seq in order', () => {
    let now = 1_000
    const timers: Array<{ at: number; run: () => void }> = []
    const scheduler = { after: (delayMs: number, run: () => void) => (timers.push({ at: now + delayMs, run }), () => void timers.splice(timers.findIndex((timer) => timer.run === run), 1)) }
    const connections = createConnectionRegistry()
    const clients = [operator('a'), operator('b')]
    for (const client of clients) connections.add(client)
    const bridge = new AgentEventBridge(connections, (key) => key, () => now, scheduler)

    bridge.onEvent({ type: 'run-start', runId: 'r1', sessionKey: 'agent:main:main', at: now } as RunEvent)
    bridge.onEvent(delta('He', 'He', now))
    now += 10
    bridge.onEvent(delta('Hell', 'll', now))
    now += 10
    bridge.onEvent(delta('Hello', 'o', now))
    expect(clients[0].frames.map((frame) => frame.payload.stream)).toEqual(['lifecycle', 'assistant'])
    expect(timers).toHaveLength(1)

    // The timer sends what was held: the latest text, and the deltas since the last event joined.
    now = timers[0].at
    timers.shift()!.run()
    now += 10
    bridge.onEvent(delta('Hello wor', ' wor', now))
    now += 10
    bridge.onEvent(delta('Hello world', 'ld', now))
    bridge.onEvent({ type: 'run-end', runId: 'r1', sessionKey: 'agent:main:main', text: 'Hello world', at: now } as RunEvent)
    expect(timers).toHaveLength(0)

    for (const client of clients) {
      expect(client.frames.map(({ payload }) => [payload.seq, payload.stream, payload.data.text, payload.data.delta ?? payload.data.phase])).toEqual([
        [1, 'lifecycle', undefined, 'start'],
        [2, 'assistant', 'He', 'He'],
        [3, 'assistant', 'Hello', 'llo'],
        [4, 'assistant', 'Hello world', ' world'],
        [5, 'lifecycle', undefined, 'end'],
      ])
    }
  })
})
