import { describe, expect, it } from 'vitest'
import type { Scheduler } from '../deps.js'
import { createConnectionRegistry, type ConnectionInfo, type ControlConnection, type SendEventOptions } from './connections.js'
import { SerializedPayload, toEventFrameText } from './event-frame-text.js'

interface RecordingConnection extends ControlConnection {
  /** Frame texts as the session would write them. */
  frames: string[]
}

function connection(connId: string, mode = 'webchat', overrides: Partial<ConnectionInfo> = {}): RecordingConnection {
  const frames: string[] = []
  const info: ConnectionInfo = { connId, clientId: `client-${connId}`, mode, role: 'operator', scopes: ['operator.admin'], connectedAt: 1_000, ...overrides }
  return {
    info,
    watchedSessions: new Set(),
    frames,
    sendEvent(event: string, payload: unknown, options: SendEventOptions = {}) {
      frames.push(toEventFrameText(event, payload, frames.length + 1, options.stateVersion))
      return true
    },
    close() {},
  }
}

/** A scheduler whose timers run only when the test calls `runAll()`. */
function manualScheduler(): Pick<Scheduler, 'after'> & { pending: number; runAll(): void } {
  const timers: Array<() => void> = []
  return {
    after(_delayMs, callback) {
      timers.push(callback)
      return () => timers.splice(timers.indexOf(callback), 1)
    },
    get pending() {
      return timers.length
    },
    runAll() {
      for (const timer of timers.splice(0)) timer()
    },
  }
}

const presenceEvents = (recorder: RecordingConnection) =>
  recorder.frames.map((text) => JSON.parse(text)).filter((frame) => frame.event === 'presence')

describe('createConnectionRegistry presence', () => {
  it('keeps no presence entry for CLI-mode clients, so their joins and leaves broadcast nothing', () => {
    const connections = createConnectionRegistry()
    const ui = connection('ui')
    connections.add(ui)
    connections.announcePresence()
    const version = connections.presenceVersion
    for (const mode of ['cli', 'CLI', ' cli ']) {
      const cli = connection(`cli-${mode}`, mode)
      connections.add(cli)
      connections.announcePresence()
      connections.remove(cli.info.connId)
      connections.announcePresence()
    }
    expect(connections.presenceVersion).toBe(version)
    expect(presenceEvents(ui)).toHaveLength(1)
    expect(connections.presence().map((entry) => entry.host)).toEqual(['client-ui'])
  })

  it('lists one entry per non-CLI client with what it told us, and bumps the version on join and leave', () => {
    const connections = createConnectionRegistry()
    connections.add(connection('a', 'webchat', { displayName: 'Laptop', platform: 'web', remoteAddress: '10.0.0.2', instanceId: 'inst-a' }))
    connections.add(connection('b', 'webchat', { mode: undefined }))
    expect(connections.presenceVersion).toBe(3)
    expect(connections.presence()).toEqual([
      { ts: 1_000, host: 'Laptop', mode: 'webchat', reason: 'connect', instanceId: 'inst-a', roles: ['operator'], scopes: ['operator.admin'], ip: '10.0.0.2', platform: 'web' },
      { ts: 1_000, host: 'client-b', mode: 'operator', reason: 'connect', instanceId: 'b', roles: ['operator'], scopes: ['operator.admin'] },
    ])
    expect(connections.remove('a')).toBe(true)
    expect(connections.remove('a')).toBe(false)
    expect(connections.presenceVersion).toBe(4)
    expect(connections.presence().map((entry) => entry.instanceId)).toEqual(['b'])
  })

  it('broadcasts the first change at once and folds a burst of joins into one trailing broadcast', () => {
    const scheduler = manualScheduler()
    const connections = createConnectionRegistry({ scheduler })
    const watcher = connection('watcher')
    connections.add(watcher)
    connections.announcePresence()
    expect(presenceEvents(watcher).map((frame) => frame.payload.presence.length)).toEqual([1])

    for (let index = 0; index < 50; index++) {
      connections.add(connection(`join-${index}`))
      connections.announcePresence()
    }
    expect(presenceEvents(watcher)).toHaveLength(1)
    scheduler.runAll()
    const events = presenceEvents(watcher)
    expect(events).toHaveLength(2)
    expect(events[1]).toMatchObject({ stateVersion: { presence: 52, health: 1 } })
    expect(events[1].payload.presence).toHaveLength(51)

    // A quiet window ends the cool-down without a broadcast; the next change goes out at once again.
    scheduler.runAll()
    expect(scheduler.pending).toBe(0)
    connections.remove('join-0')
    connections.announcePresence()
    expect(presenceEvents(watcher)).toHaveLength(3)
  })

  it('serialises a broadcast payload once for every receiving connection', () => {
    const connections = createConnectionRegistry()
    const receivers = Array.from({ length: 5 }, (_, index) => connection(`r${index}`, 'cli'))
    for (const receiver of receivers) connections.add(receiver)
    let serialisations = 0
    const payload = { toJSON: () => (serialisations += 1, { state: 'delta' }) }
    expect(connections.broadcast('chat', payload, (candidate) => candidate.info.connId !== 'r0')).toBe(4)
    expect(serialisations).toBe(1)
    expect(receivers[0].frames).toEqual([])
    expect(receivers[1].frames).toEqual(['{"type":"event","event":"chat","payload":{"state":"delta"},"seq":1}'])
    // A payload serialised by the caller is passed through untouched.
    connections.broadcast('chat', SerializedPayload.of({ n: 1 }))
    expect(receivers[0].frames).toEqual(['{"type":"event","event":"chat","payload":{"n":1},"seq":1}'])
    expect(serialisations).toBe(1)
  })
})
