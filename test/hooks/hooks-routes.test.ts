import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { parseConfigText } from '../../src/config/load-config.js'
import { makeTestDeps } from '../helpers/make-test-deps.js'

const HOOK_TOKEN = 'hook-secret-h'
const hooksConfig = (extra = '') => `{ hooks: { enabled: true, token: "${HOOK_TOKEN}"${extra} } }`

async function hooksApp(configText = hooksConfig()) {
  const fixture = await makeTestDeps({ configText, env: { DISCORD_BOT_TOKEN: 'bot-token' } })
  return { ...fixture, app: createApp(fixture.deps) }
}

const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${HOOK_TOKEN}` }) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

describe('POST /hooks/* status codes (spec/agent-api.md §6.2, §7 check 11)', () => {
  it('401 text/plain without or with a wrong token, before the method check', async () => {
    const { app } = await hooksApp()
    for (const init of [{ method: 'POST' }, { method: 'GET' }, post({ text: 'x' }, { authorization: 'Bearer wrong' })]) {
      const response = await app.request('/hooks/wake', init)
      expect(response.status).toBe(401)
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
      expect(await response.text()).toBe('Unauthorized')
    }
  })

  it('answers 429 once an address has used up the shared failed-auth budget, even with the right token', async () => {
    const { app } = await hooksApp()
    const statuses: number[] = []
    for (let attempt = 0; attempt < 12; attempt += 1) {
      statuses.push((await app.request('/hooks/wake', post({ text: 'x' }, { authorization: 'Bearer guess', 'cf-connecting-ip': '203.0.113.9' }))).status)
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(statuses.at(-1)).toBe(429)
    const blocked = await app.request('/hooks/wake', post({ text: 'x' }, { authorization: `Bearer ${HOOK_TOKEN}`, 'cf-connecting-ip': '203.0.113.9' }))
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    const other = await app.request('/hooks/wake', post({ text: 'x' }, { authorization: `Bearer ${HOOK_TOKEN}`, 'cf-connecting-ip': '198.51.100.4' }))
    expect(other.status).toBe(200)
  })

  it('accepts the token as Bearer, x-clawdbot-token, x-moltbot-token and ?token=', async () => {
    const { app } = await hooksApp()
    for (const [path, headers] of [
      ['/hooks/wake', { authorization: `Bearer ${HOOK_TOKEN}` }],
      ['/hooks/wake', { 'x-clawdbot-token': HOOK_TOKEN }],
      ['/hooks/wake', { 'x-moltbot-token': HOOK_TOKEN }],
      [`/hooks/wake?token=${HOOK_TOKEN}`, {}],
    ] as const) {
      const response = await app.request(path, post({ text: 'ping' }, headers))
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(await response.json()).toEqual({ ok: true, mode: 'now' })
    }
  })

  it('405 with Allow: POST for another method once authorised, 404 for no or an unknown sub-path', async () => {
    const { app } = await hooksApp()
    const get = await app.request('/hooks/wake', { headers: { authorization: `Bearer ${HOOK_TOKEN}` } })
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
    for (const path of ['/hooks', '/hooks/', '/hooks/nothing-here']) {
      const response = await app.request(path, post({}))
      expect(response.status).toBe(404)
      expect(await response.text()).toBe('Not Found')
    }
  })

  it('413 past maxBodyBytes, counting bytes as they stream in', async () => {
    const { app } = await hooksApp(hooksConfig(', maxBodyBytes: 1024'))
    const big = JSON.stringify({ text: 'é'.repeat(600) })
    // No content-length: the cap has to come from counting the streamed bytes.
    const stream = new ReadableStream({ start: (controller) => (controller.enqueue(new TextEncoder().encode(big)), controller.close()) })
    const response = await app.request('/hooks/wake', { method: 'POST', headers: { authorization: `Bearer ${HOOK_TOKEN}` }, body: stream, duplex: 'half' } as RequestInit)
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ ok: false, error: 'payload too large' })
    const defaultCap = await hooksApp()
    const huge = await defaultCap.app.request('/hooks/wake', post({ text: 'x'.repeat(256 * 1024 + 1) }))
    expect(huge.status).toBe(413)
  })

  it('400 for bad JSON and missing fields, with upstream texts', async () => {
    const { app } = await hooksApp()
    const bad = await app.request('/hooks/wake', post('{not json'))
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toMatch(/^SyntaxError: /)
    expect(await (await app.request('/hooks/wake', post(''))).json()).toEqual({ ok: false, error: 'text required' })
    expect(await (await app.request('/hooks/agent', post([1, 2]))).json()).toEqual({ ok: false, error: 'message required' })
    const sms = await app.request('/hooks/agent', post({ message: 'x', channel: 'sms' }))
    expect(sms.status).toBe(400)
    expect(await sms.json()).toEqual({ ok: false, error: 'channel must be last|discord|telegram' })
    expect(await (await app.request('/hooks/agent', post({ message: 'x', model: ' ' }))).json()).toEqual({ ok: false, error: 'model required' })
  })

  it('202 with a fresh runId for /hooks/agent, the run continuing in the background', async () => {
    const { app, background } = await hooksApp()
    const response = await app.request('/hooks/agent', post({ message: 'summarize', deliver: false }))
    expect(response.status).toBe(202)
    const body = await response.json()
    expect(body).toEqual({ ok: true, runId: expect.stringMatching(/^[0-9a-f-]{36}$/) })
    expect(background.length).toBeGreaterThan(0)
  })

  it('mapped sub-paths render templates; wake mappings answer 200, empty renders 400', async () => {
    const mappings = `, mappings: [
      { match: { path: "github", source: "github" }, name: "GitHub", messageTemplate: "{{payload.repository.full_name}}: {{action}} by {{sender.login}} ({{headers.x-github-event}})", deliver: false },
      { match: { path: "ping" }, action: "wake", textTemplate: "ping {{query.who}} at {{path}}" },
      { match: { path: "empty" }, action: "wake", textTemplate: "{{missing}}" },
    ]`
    const { app } = await hooksApp(hooksConfig(mappings))
    const github = await app.request('/hooks/github', post({ source: 'github', action: 'opened', sender: { login: 'octo' }, repository: { full_name: 'a/b' } }, { authorization: `Bearer ${HOOK_TOKEN}`, 'x-github-event': 'issues' }))
    expect(github.status).toBe(202)
    expect((await app.request('/hooks/github', post({ source: 'gitlab' }))).status).toBe(404)
    expect(await (await app.request('/hooks/ping?who=ha', post({}))).json()).toEqual({ ok: true, mode: 'now' })
    const empty = await app.request('/hooks/empty', post({}))
    expect(empty.status).toBe(400)
    expect(await empty.json()).toEqual({ ok: false, error: 'hook mapping requires text' })
  })

  it('falls through to the other routes while hooks are off or for other paths', async () => {
    const { app } = await hooksApp('{}')
    expect((await app.request('/hooks/wake', post({ text: 'x' }))).status).toBe(404)
    const custom = await hooksApp(hooksConfig(', path: "incoming/"'))
    expect((await custom.app.request('/hooks/wake', post({ text: 'x' }))).status).toBe(404)
    expect((await custom.app.request('/incoming/wake', post({ text: 'x' }))).status).toBe(200)
  })

  it('refuses to serve hooks whose token equals the gateway token from the environment', async () => {
    const { app, records } = await hooksApp('{ hooks: { enabled: true, token: "test-gateway-token" } }')
    const response = await app.request('/hooks/wake', post({ text: 'x' }, { authorization: 'Bearer test-gateway-token' }))
    expect(response.status).toBe(503)
    expect(records.some((record) => record.message.includes('hooks.token equals the gateway token'))).toBe(true)
  })
})

describe('hooks config (spec/agent-api.md §6.1)', () => {
  const issues = async (text: string) => {
    const loaded = await parseConfigText(text, '/state/clawdbot.json', { readText: async () => undefined, env: {}, homeDir: '/home/test' })
    return loaded.ok ? [] : loaded.issues.map((issue) => issue.message)
  }

  it('requires a token, a distinct one, a path other than /, and refuses transforms and unknown keys', async () => {
    expect(await issues('{ hooks: { enabled: true } }')).toContain('hooks.enabled requires hooks.token')
    expect(await issues('{ gateway: { auth: { token: "same" } }, hooks: { enabled: true, token: "same" } }')).toEqual([
      expect.stringContaining('hooks.token must differ from the gateway token'),
    ])
    expect(await issues('{ hooks: { enabled: true, token: "t", path: "/" } }')).toEqual(["hooks.path may not be '/'"])
    expect((await issues('{ hooks: { enabled: true, token: "t", mappings: [{ transform: { module: "x.js" } }] } }'))[0]).toContain('refuses')
    expect((await issues('{ hooks: { enabled: true, token: "t", transformsDir: "t" } }'))[0]).toContain('messageTemplate')
    expect(await issues('{ hooks: { enabled: true, token: "t", bogus: 1 } }')).not.toEqual([])
    expect(await issues('{ hooks: { enabled: true, token: "t", presets: ["gmail"], gmail: { account: "a" }, path: "hooks/" } }')).toEqual([])
  })
})
