/**
 * Which browser pages may open the control socket. Browsers cannot set headers on a WebSocket upgrade but always
 * send `Origin`, so a page on another origin (another port on localhost included) is told apart from the Control UI
 * served by the gateway itself. Clients without `Origin` (CLIs, servers) are not browsers and pass.
 */
export function isAllowedOrigin(input: {
  origin: string | null | undefined
  /** The `Host` the request was sent to (after a trusted proxy's `X-Forwarded-Host`, if any). */
  host: string | null | undefined
  /** `gateway.controlUi.allowedOrigins`: full origins such as `https://admin.example.com`. */
  allowedOrigins: readonly string[] | undefined
}): boolean {
  if (input.origin === undefined || input.origin === null) return true
  const origin = normalizeOrigin(input.origin)
  // `null` comes from sandboxed frames and file:// pages: never the gateway's own UI.
  if (origin === undefined) return false
  if ((input.allowedOrigins ?? []).some((allowed) => normalizeOrigin(allowed) === origin)) return true
  const host = input.host?.trim().toLowerCase()
  if (!host) return false
  const url = new URL(origin)
  return url.host === host || url.host === stripDefaultPort(host, url.protocol)
}

function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value.trim())
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    return url.origin.toLowerCase()
  } catch {
    return undefined
  }
}

function stripDefaultPort(host: string, protocol: string): string {
  if (protocol === 'http:' && host.endsWith(':80')) return host.slice(0, -3)
  if (protocol === 'https:' && host.endsWith(':443')) return host.slice(0, -4)
  return host
}
