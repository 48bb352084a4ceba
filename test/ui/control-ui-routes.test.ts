import { describe, expect, it } from 'vitest'
import { Hono } from 'hono'
import { CONTROL_UI_CSP, createControlUiRoutes } from '../../src/http/control-ui-routes.js'
import { toUiAssets } from '../../src/ui-assets/load-ui-assets.js'
import { createApp } from '../../src/app.js'
import { toErrorBody, AppError } from '../../src/errors.js'
import { makeTestDeps } from '../helpers/make-test-deps.js'

const INDEX = '<!doctype html><html><head><title>Clawdbot gateway</title><script type="module" src="./assets/index-abc123.js"></script></head><body></body></html>'
const FILES = toUiAssets({
  'index.html': { type: 'text/html; charset=utf-8', hash: 'h-index', encoding: 'utf8', body: INDEX },
  'assets/index-abc123.js': { type: 'text/javascript; charset=utf-8', hash: 'h-js', encoding: 'utf8', body: 'console.log(1)' },
  'assets/logo-abc123.png': { type: 'image/png', hash: 'h-png', encoding: 'base64', body: 'iVBORw0KGgo=' },
})

async function app(configText = '{}', loadAssets: () => Promise<typeof FILES | undefined> = async () => FILES) {
  const { deps } = await makeTestDeps({ configText })
  const app = new Hono()
  app.route('/', createControlUiRoutes(deps, { loadAssets }))
  app.onError((error, c) => (error instanceof AppError ? c.json(toErrorBody(error), error.status as 404) : c.text('boom', 500)))
  return app
}

describe('GET / (Control UI)', () => {
  it('serves index.html with no-cache and the strict CSP', async () => {
    const response = await (await app()).request('/')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(response.headers.get('content-security-policy')).toBe(CONTROL_UI_CSP)
    expect(CONTROL_UI_CSP).toContain("script-src 'self'")
    expect(CONTROL_UI_CSP).not.toContain('unsafe-inline')
    expect(await response.text()).toBe(INDEX)
  })

  it('falls back to index.html for view paths and deep links (SPA)', async () => {
    const routes = await app()
    for (const path of ['/chat', '/sessions', '/config/', '/logs?x=1', '/overview']) {
      const response = await routes.request(path)
      expect(response.status, path).toBe(200)
      expect(await response.text()).toBe(INDEX)
    }
  })

  it('serves hashed assets as immutable, also under a deep link, and 404s unknown ones', async () => {
    const routes = await app()
    const script = await routes.request('/assets/index-abc123.js')
    expect(script.status).toBe(200)
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(script.headers.get('etag')).toBe('"h-js"')
    expect((await routes.request('/sessions/assets/index-abc123.js')).status).toBe(200)
    const png = await routes.request('/assets/logo-abc123.png')
    expect([...new Uint8Array(await png.arrayBuffer())].slice(0, 4)).toEqual([0x89, 0x50, 0x4e, 0x47])
    const missing = await routes.request('/assets/index-old999.js')
    expect(missing.status).toBe(404)
    expect((await missing.json()).error.code).toBe('not_found')
    expect((await routes.request('/missing.png')).status).toBe(404)
  })

  it('answers a matching If-None-Match with 304 and HEAD without a body', async () => {
    const routes = await app()
    const cached = await routes.request('/assets/index-abc123.js', { headers: { 'if-none-match': '"h-js"' } })
    expect(cached.status).toBe(304)
    const head = await routes.request('/', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('leaves API paths to their own routers', async () => {
    const routes = await app()
    for (const path of ['/api/health', '/v1/models', '/discord/interactions', '/health', '/healthz', '/tools/x', '/hooks/wake']) {
      expect((await routes.request(path)).status, path).toBe(404)
      expect(await (await routes.request(path)).text(), path).not.toContain('<html')
    }
  })

  it('is off with gateway.controlUi.enabled: false, saying how to turn it on', async () => {
    const response = await (await app('{ gateway: { controlUi: { enabled: false } } }')).request('/')
    expect(response.status).toBe(404)
    expect((await response.json()).error.message).toMatch(/gateway\.controlUi\.enabled/)
  })

  it('says how to build the UI when no bundle is embedded', async () => {
    const response = await (await app('{}', async () => undefined)).request('/')
    expect(response.status).toBe(503)
    expect((await response.json()).error.message).toMatch(/npm run build/)
  })
})

describe('createApp with the Control UI', () => {
  it('keeps /health and the JSON 404 for unknown API paths', async () => {
    const { deps } = await makeTestDeps()
    const app = createApp(deps)
    expect((await app.request('/health')).status).toBe(200)
    const unknown = await app.request('/v1/nothing-here')
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).error.code).toBe('not_found')
  })
})
