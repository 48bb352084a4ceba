import { describe, expect, it } from 'vitest'
import { canonicalizeSessionKey } from '../sessions/session-key.js'
import { ChatBridge } from './chat-bridge.js'
import { createConnectionRegistry, type ControlConnection } from './connections.js'
import { SerializedPayload, toEventFrameText } from './event-frame-text.js'

function watcher(connId: string, watched: string[]): ControlConnection & { sent: unknown[] } {
  const sent: unknown[] = []
  return {
    info: { connId, clientId: 'ui', mode: 'webchat', role: 'operator', scopes: ['operator.admin'], connectedAt: 0 },
    watchedSessions: new Set(watched),
    sent,
    sendEvent: (_event, payload) => (sent.push(payload), true),
    close() {},
  }
}

describe('ChatBridge', () => {
  it('serialises each chat event once per spelling of the session key, not once per watching client', () => {
    const connections = createConnectionRegistry()
    const alias = [watcher('a', ['main']), watcher('b', ['main'])]
    const canonicalSpelling = watcher('c', ['agent:main:main'])
    const elsewhere = watcher('d', ['agent:main:other'])
    for (const connection of [...alias, canonicalSpelling, elsewhere]) connections.add(connection)
    const bridge = new ChatBridge(connections, (key) => canonicalizeSessionKey(key, 'main'), () => 1_000, { after: () => () => {} })

    bridge.onEvent({
      type: 'run-end', runId: 'r1', sessionKey: 'agent:main:main', text: 'hi', silent: false, model: 'm',
      usage: { input: 1, output: 1 }, stopReason: 'stop', at: 1_000,
    } as Parameters<ChatBridge['onEvent']>[0])

    const [first, second, third] = [alias[0].sent[0], alias[1].sent[0], canonicalSpelling.sent[0]]
    expect(first).toBeInstanceOf(SerializedPayload)
    expect(second).toBe(first)
    expect(third).not.toBe(first)
    expect(elsewhere.sent).toEqual([])
    const frame = (payload: unknown) => JSON.parse(toEventFrameText('chat', payload, 1))
    expect(frame(first).payload).toMatchObject({ runId: 'r1', sessionKey: 'main', state: 'final', message: { content: [{ type: 'text', text: 'hi' }] } })
    expect(frame(third).payload).toMatchObject({ runId: 'r1', sessionKey: 'agent:main:main', state: 'final' })
  })
})
