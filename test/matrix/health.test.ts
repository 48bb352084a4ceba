import { expect, it } from 'vitest'
import { describeRuntimes } from './runtimes.js'

describeRuntimes('GET /health', (runtime) => {
  const gateway = runtime.start(() => ({ config: '{ gateway: { mode: "local" } }' }))

  it('answers the public probe without a token', async () => {
    const response = await gateway().fetch('/health')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toMatchObject({ ok: true, version: expect.any(String), uptimeMs: expect.any(Number) })
    expect((await gateway().fetch('/healthz')).status).toBe(200)
  })

  it('keeps the full report behind the gateway token', async () => {
    const refused = await gateway().fetch('/api/health')
    expect(refused.status).toBe(401)
    expect(await refused.json()).toMatchObject({ error: { code: 'unauthorized' } })
    const report = await gateway().fetch('/api/health', { headers: gateway().auth })
    expect(report.status).toBe(200)
    expect(await report.json()).toMatchObject({ ok: true, phase: 'ready', defaultAgentId: 'main' })
  })

  it('serves the Control UI shell and its hashed assets', async () => {
    const page = await gateway().fetch('/')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    const html = await page.text()
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1]
    expect(script, html).toBeDefined()
    const asset = await gateway().fetch(`/${script}`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toContain('immutable')
    expect(asset.headers.get('content-type')).toContain('javascript')
    expect((await gateway().fetch('/assets/missing-0000.js')).status).toBe(404)
  })
})
