import { describe, it, expect } from 'vitest'
import { createApp } from '../../src/app.js'
import { makeTestDeps, TEST_TOKEN } from '../helpers/make-test-deps.js'
import { sessionsIndexKey } from '../../src/storage/keys.js'
import { VERSION } from '../../src/version.js'

const bearer = { authorization: `Bearer ${TEST_TOKEN}` }

describe('GET /health', () => {
  it('answers 200 with ok, ts, uptime and version when ready, on both paths', async () => {
    const { deps } = await makeTestDeps({ now: 1_800_000_000_000 })
    const app = createApp(deps)
    for (const path of ['/health', '/healthz']) {
      const response = await app.request(path)
      expect(response.status).toBe(200)
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(await response.json()).toEqual({ ok: true, ts: 1_800_000_000_000, uptimeMs: 5_000, version: VERSION })
    }
  })

  it('answers 503 while starting and while shutting down', async () => {
    const { deps } = await makeTestDeps()
    const app = createApp(deps)
    deps.state.phase = 'starting'
    expect(await (await app.request('/health')).json()).toEqual({ ok: false, reason: 'starting' })
    deps.state.phase = 'stopping'
    const response = await app.request('/health')
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ ok: false, reason: 'shutting_down' })
  })

  it('never exposes secrets or session keys', async () => {
    const { deps } = await makeTestDeps()
    await deps.storage.setItem(sessionsIndexKey('main'), { 'agent:main:main': { updatedAt: 1 } })
    const text = await (await createApp(deps).request('/health')).text()
    expect(text).not.toContain(TEST_TOKEN)
    expect(text).not.toContain('agent:main')
  })
})

describe('GET /api/health', () => {
  it('rejects a missing or wrong token with 401 and a hint', async () => {
    const { deps } = await makeTestDeps()
    const app = createApp(deps)
    const missing = await app.request('/api/health')
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toContain('Bearer')
    expect(await missing.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Authorization: Bearer') } })
    const wrong = await app.request('/api/health', { headers: { authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(401)
    expect((await wrong.json()).error.message).toContain('mismatch')
  })

  it('accepts the password in password mode', async () => {
    const { deps } = await makeTestDeps({ state: { auth: { mode: 'password', password: 'pass-word-1' } } })
    const response = await createApp(deps).request('/api/health', { headers: { authorization: 'Bearer pass-word-1' } })
    expect(response.status).toBe(200)
  })

  it('reports agents and recent sessions in upstream shape', async () => {
    const { deps } = await makeTestDeps({
      configText: JSON.stringify({ agents: { list: [{ id: 'main', default: true, name: 'Molty' }, { id: 'work' }] } }),
    })
    const now = deps.now()
    await deps.storage.setItem(sessionsIndexKey('main'), {
      'agent:main:main': { sessionId: 'a', updatedAt: now - 1_000 },
      'agent:main:discord:channel:1': { sessionId: 'b', updatedAt: now - 60_000 },
    })
    const response = await createApp(deps).request('/api/health', { headers: bearer })
    expect(response.status).toBe(200)
    const body = await response.json()
    expect(body).toMatchObject({
      ok: true,
      defaultAgentId: 'main',
      agents: [
        {
          agentId: 'main',
          name: 'Molty',
          isDefault: true,
          heartbeat: { enabled: false, every: 'disabled', everyMs: null },
          sessions: { path: '/state/agents/main/sessions/sessions.json', count: 2, recent: [{ key: 'agent:main:main', age: 1_000 }, { key: 'agent:main:discord:channel:1', age: 60_000 }] },
        },
        { agentId: 'work', isDefault: false, sessions: { path: '/state/agents/work/sessions/sessions.json', count: 0, recent: [] } },
      ],
      sessions: { count: 2, recent: [{ key: 'agent:main:main', age: 1_000 }, { key: 'agent:main:discord:channel:1', age: 60_000 }] },
      config: { path: '/state/clawdbot.json', exists: true },
    })
  })

  it('keeps answering when the sessions index is damaged', async () => {
    const { deps } = await makeTestDeps()
    await deps.storage.setItemRaw(sessionsIndexKey('main'), '{not json')
    const response = await createApp(deps).request('/api/health', { headers: bearer })
    expect(response.status).toBe(200)
    expect((await response.json()).sessions.count).toBe(0)
  })
})

describe('unknown routes and errors', () => {
  it('answers unknown routes with a JSON 404', async () => {
    const { deps } = await makeTestDeps()
    const response = await createApp(deps).request('/nope', { method: 'POST' })
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining('[http]') } })
  })

  it('renders unexpected failures as a generic 500 and logs the cause', async () => {
    const { deps, records } = await makeTestDeps()
    const app = createApp(deps)
    // POST: the Control UI's SPA fallback answers unknown GETs.
    app.post('/boom', () => {
      throw new Error('database exploded')
    })
    const response = await app.request('/boom', { method: 'POST' })
    expect(response.status).toBe(500)
    const body = await response.json()
    expect(JSON.stringify(body)).not.toContain('database exploded')
    expect(records.find((record) => record.level === 'error')?.message).toContain('database exploded')
  })
})
