import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { makeTestDeps, TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type TestClient } from '../helpers/ws-client.js'

const closers: (() => unknown)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

async function connectedClient(configText?: string): Promise<TestClient> {
  const gateway = await startTestGateway(configText ? { configText } : {})
  closers.push(() => gateway.close())
  const client = await openTestClient(gateway.url, { token: TEST_TOKEN })
  closers.push(() => client.close())
  expect((await client.connect()).ok).toBe(true)
  return client
}

// Issue 16, item 16: tabs of the upstream Control UI call these; an "unknown method" becomes a red pill.
describe('WS methods behind upstream Control UI tabs', () => {
  it('answers exec.approvals.get with an empty, non-existent approvals file', async () => {
    const client = await connectedClient()
    const response = await client.request('exec.approvals.get', {})
    expect(response.ok).toBe(true)
    expect(response.payload).toEqual({ path: '', exists: false, hash: '', file: { version: 1, agents: {} } })
  })

  it('answers skills.status with no skills and the default agent workspace', async () => {
    const client = await connectedClient('{ gateway: { mode: "local" }, agents: { defaults: { workspace: "/srv/ws" } } }')
    const response = await client.request('skills.status', {})
    expect(response.ok).toBe(true)
    expect(response.payload).toEqual({ workspaceDir: '/srv/ws', managedSkillsDir: '', skills: [] })
  })

  it('answers update.run with a calm "skipped: not supported" result that says how to update', async () => {
    const client = await connectedClient()
    const response = await client.request('update.run', { sessionKey: 'agent:main:main' })
    expect(response.ok).toBe(true)
    expect(response.payload).toMatchObject({ ok: false, skipped: true, result: { status: 'skipped', reason: 'not-supported' } })
    expect(response.payload.result.message).toMatch(/fly deploy/)
  })
})

describe('GET /avatar/:agentId', () => {
  it('returns avatarUrl null as JSON (not the SPA page) for an agent without an avatar', async () => {
    const { deps } = await makeTestDeps()
    const response = await createApp(deps).request('/avatar/main?meta=1')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/application\/json/)
    expect(await response.json()).toEqual({ avatarUrl: null })
  })

  it("returns the agent's URL avatar, and redirects the image request to it", async () => {
    const { deps } = await makeTestDeps({
      configText: '{ gateway: { mode: "local" }, agents: { list: [{ id: "main", identity: { avatar: "https://example.com/a.png" } }] } }',
    })
    const app = createApp(deps)
    expect(await (await app.request('/avatar/main?meta=1')).json()).toEqual({ avatarUrl: 'https://example.com/a.png' })
    const image = await app.request('/avatar/main')
    expect(image.status).toBe(302)
    expect(image.headers.get('location')).toBe('https://example.com/a.png')
  })

  it('answers 404 JSON for the image of an agent without a URL avatar', async () => {
    const { deps } = await makeTestDeps()
    const response = await createApp(deps).request('/avatar/main')
    expect(response.status).toBe(404)
    expect((await response.json()).error.message).toMatch(/identity\.avatar/)
  })
})
