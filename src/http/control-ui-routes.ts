import { Hono, type Context } from 'hono'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import { loadUiAssets, type UiAsset, type UiAssets } from '../ui-assets/load-ui-assets.js'

/**
 * The page's Content-Security-Policy: everything from this origin, the control socket on the same host, images
 * from pasted data/blob URLs, and no inline script or style, so injected markup cannot run.
 */
export const CONTROL_UI_CSP = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "script-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ')

const IMMUTABLE = 'public, max-age=31536000, immutable'

// Paths owned by other routers; the SPA fallback must not answer them with HTML.
const NOT_UI_PATHS = [/^\/api(\/|$)/, /^\/v1(\/|$)/, /^\/tools(\/|$)/, /^\/hooks(\/|$)/, /^\/discord(\/|$)/, /^\/healthz?$/, /^\/avatar(\/|$)/]

/** Options for tests: serve a hand-made bundle instead of the one embedded at build time. */
export interface ControlUiRouteOptions {
  loadAssets?: () => Promise<UiAssets | undefined>
}

/**
 * The browser Control UI at `/` (spec/protocol.md §1.2): hashed files under any `…/assets/` path are cached
 * forever, every other GET that is not an API path gets `index.html` (SPA fallback) with `no-cache` and a strict CSP.
 * `gateway.controlUi.enabled: false` turns it off (read per request, so hot reload applies).
 */
export function createControlUiRoutes(deps: AppDeps, options: ControlUiRouteOptions = {}): Hono {
  const routes = new Hono()
  const load = options.loadAssets ?? loadUiAssets
  let assets: Promise<UiAssets | undefined> | undefined

  routes.get('*', async (c, next) => {
    const path = c.req.path
    if (NOT_UI_PATHS.some((pattern) => pattern.test(path))) return next()
    if (deps.state.config.gateway?.controlUi?.enabled === false) {
      throw new AppError('not_found', '[control-ui] the Control UI is disabled; set gateway.controlUi.enabled to true (or remove it) to serve it at /')
    }
    assets ??= load()
    const files = await assets
    if (files === undefined) {
      assets = undefined
      throw new AppError('unavailable', '[control-ui] the Control UI is not built; run `npm run build` (it builds dist/ui and embeds it)')
    }

    // Relative asset URLs make a deep link like /sessions/ ask for /sessions/assets/…; serve from `assets/` on.
    const assetsAt = path.indexOf('/assets/')
    if (assetsAt >= 0) {
      const asset = files.get(path.slice(assetsAt + 1))
      if (asset === undefined) throw new AppError('not_found', '[control-ui] no such asset; reload the page to get the current bundle')
      return send(c, asset, IMMUTABLE)
    }
    const file = path === '/index.html' ? undefined : files.get(path.slice(1))
    if (file !== undefined) return send(c, file, 'no-cache')
    // A missing file (anything with an extension) is a 404, not the app shell.
    if (/\.[A-Za-z0-9]+$/.test(path)) throw new AppError('not_found', '[control-ui] not found')
    const index = files.get('index.html')
    if (index === undefined) throw new AppError('unavailable', '[control-ui] the embedded UI has no index.html; rebuild with `npm run build`')
    c.header('content-security-policy', CONTROL_UI_CSP)
    c.header('referrer-policy', 'no-referrer')
    return send(c, index, 'no-cache')
  })
  return routes
}

function send(c: Context, asset: UiAsset, cacheControl: string): Response {
  c.header('cache-control', cacheControl)
  c.header('etag', asset.etag)
  c.header('x-content-type-options', 'nosniff')
  if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304)
  c.header('content-type', asset.type)
  return c.body(asset.body as Uint8Array<ArrayBuffer>, 200)
}
