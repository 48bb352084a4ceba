import { afterEach, expect, it } from 'vitest'
import { openTestClient, type TestClient } from '../helpers/ws-client.js'
import { describeRuntimes, MATRIX_TOKEN } from './runtimes.js'

const CONFIG = '{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } } }\n'

describeRuntimes('cron', (runtime) => {
  const gateway = runtime.start(async () => ({ config: CONFIG, env: {} }))
  const clients: TestClient[] = []
  afterEach(() => clients.splice(0).forEach((client) => client.close()))
  const connect = async () => {
    const client = await openTestClient(gateway().wsUrl, { token: MATRIX_TOKEN })
    clients.push(client)
    expect((await client.connect()).ok).toBe(true)
    return client
  }

  it('stores jobs, fires a one-shot on time through the runtime scheduler and logs the run', async () => {
    const client = await connect()
    const status = (await client.request('cron.status', {})).payload
    expect(status).toMatchObject({ enabled: true, jobs: 0, nextWakeAtMs: null })
    expect(status.storePath).toMatch(/\/cron\/jobs\.json$/)
    const atMs = Date.now() + 1_500
    const added = await client.request('cron.add', { name: `soon-${runtime.name}`, wakeMode: 'next-heartbeat', schedule: { kind: 'at', atMs }, payload: { kind: 'systemEvent', text: 'tea is ready' } })
    expect(added.payload).toMatchObject({ sessionTarget: 'main', enabled: true, state: { nextRunAtMs: atMs } })
    const finished = await client.waitFor((frame) => frame.event === 'cron' && frame.payload.action === 'finished' && frame.payload.jobId === added.payload.id, 15_000)
    expect(finished.payload).toMatchObject({ status: 'ok', summary: 'tea is ready' })
    expect(finished.payload.runAtMs).toBeGreaterThanOrEqual(atMs)
    const runs = (await client.request('cron.runs', { id: added.payload.id, limit: 50 })).payload.entries
    expect(runs).toHaveLength(1)
    expect((await client.request('cron.list', { includeDisabled: true })).payload.jobs[0]).toMatchObject({ id: added.payload.id, enabled: false, state: { lastStatus: 'ok' } })
  })
})
