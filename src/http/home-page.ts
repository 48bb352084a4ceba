import { Hono } from 'hono'
import type { AppDeps } from '../deps.js'

/**
 * The page at `/` until the Control UI lands (issue 6): it says the gateway runs and where to look, instead of a
 * bare 404 at the URL the start-up log prints.
 */
export function createHomePage(deps: AppDeps): Hono {
  const routes = new Hono()
  routes.get('/', (c) => {
    c.header('cache-control', 'no-cache')
    c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    return c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Clawdbot gateway</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#8882;padding:0 .2em}</style>
</head><body>
<h1>Clawdbot gateway ${escapeHtml(deps.version)}</h1>
<p>The gateway is running. Health: <a href="/health"><code>/health</code></a>.</p>
<p>The browser Control UI is not part of this build yet; WebSocket clients connect to this same address.</p>
</body></html>`)
  })
  return routes
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}
