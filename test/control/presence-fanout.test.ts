import { afterEach, describe, expect, it } from 'vitest'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type Frame, type TestClient } from '../helpers/ws-client.js'
import { MAX_PENDING_SOCKETS_PER_CLIENT } from '../../src/control/protocol.js'

// Issue 10: presence used to be broadcast in full to every client on every join, O(N²) bytes for N clients.
// Upstream keeps no presence for CLI-mode clients, and bursts of joins are folded into one broadcast.

const gateways: { close(): Promise<void> }[] = []
const clients: TestClient[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()))
})

async function open(url: string): Promise<TestClient> {
  const client = await openTestClient(url, { token: TEST_TOKEN })
  clients.push(client)
  return client
}

const CLI = { client: { id: 'cli', version: '1.0.0', platform: 'linux', mode: 'cli' } }
const isPresence = (frame: Frame) => frame.event === 'presence'
const presenceVersion = (frame: Frame) => (frame as Frame & { stateVersion: { presence: number } }).stateVersion.presence

describe('WS / presence fan-out', () => {
  it('sends nothing to anyone when CLI clients come and go, and lists only non-CLI clients', async () => {
    const gateway = await startTestGateway()
    gateways.push(gateway)
    const ui = await open(gateway.url)
    expect((await ui.connect()).ok).toBe(true)
    const own = await ui.waitFor(isPresence)
    expect(own.payload.presence).toHaveLength(1)

    for (let index = 0; index < 20; index++) {
      const cli = await open(gateway.url)
      const hello = await cli.connect(CLI)
      expect(hello.payload.snapshot.presence.map((entry: { mode: string }) => entry.mode)).toEqual(['webchat'])
      const listed = await cli.request('system-presence', {})
      expect(listed.payload).toHaveLength(1)
      cli.close()
      await cli.closed
    }
    // The next presence event the UI gets is the second UI's join, and its seq follows the first one directly: no
    // presence (or any other) event was sent for the CLI clients in between.
    const second = await open(gateway.url)
    await second.connect()
    const join = await ui.waitFor(isPresence)
    expect(join.payload.presence.map((entry: { mode: string }) => entry.mode)).toEqual(['webchat', 'webchat'])
    expect(join.seq).toBe(own.seq! + 1)
    expect(presenceVersion(join)).toBe(presenceVersion(own) + 1)
  })

  it('gives a burst of UI joins far fewer presence broadcasts than joins, ending with the full list', async () => {
    const gateway = await startTestGateway()
    gateways.push(gateway)
    const watcher = await open(gateway.url)
    await watcher.connect()
    await watcher.waitFor(isPresence)
    // In waves no larger than the pending-socket bound for one client address (MAX_PENDING_SOCKETS_PER_CLIENT).
    for (let joined = 0; joined < 30; joined += MAX_PENDING_SOCKETS_PER_CLIENT) {
      const wave = await Promise.all(Array.from({ length: Math.min(MAX_PENDING_SOCKETS_PER_CLIENT, 30 - joined) }, () => open(gateway.url)))
      await Promise.all(wave.map((joiner) => joiner.connect()))
    }
    const complete = await watcher.waitFor((frame) => isPresence(frame) && frame.payload.presence.length === 31)
    const broadcasts = watcher.received.filter(isPresence)
    expect(broadcasts.at(-1)).toBe(complete)
    expect(broadcasts.length).toBeLessThan(10)
  })
})
