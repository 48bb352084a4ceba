import type { NetworkAccess } from './network-access.js'
import { checkResolved, checkUrl, NetworkBlockedError, type GuardPolicy } from './network-guard.js'

const REDIRECTS = new Set([301, 302, 303, 307, 308])
/** Most bytes of a response body read into memory; the rest of the stream is cancelled. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024

/** Options of one guarded request. */
export interface GuardedFetchOptions {
  network: NetworkAccess
  headers?: Record<string, string>
  maxRedirects: number
  signal: AbortSignal
}

/** The final response of a guarded request and the URL it came from after redirects. */
export interface GuardedResponse {
  response: Response
  finalUrl: string
}

/**
 * GET with the SSRF guard on every hop (spec/agent-tools.md §3.3.1): the URL checks, DNS answers checked and the
 * connection pinned to the checked address, redirects followed by hand and each target re-checked. Only the given
 * headers are sent, so the gateway's own credentials never reach a model-chosen host. MCP clients use the same
 * guard through {@link createGuardedFetch}.
 */
export async function guardedFetch(url: string, options: GuardedFetchOptions): Promise<GuardedResponse> {
  let current = parseUrl(url)
  const visited = new Set<string>()
  for (let hops = 0; ; hops++) {
    visited.add(current.href)
    const address = await checkTarget(current, options.network)
    const response = await options.network.request(current, { method: 'GET', headers: options.headers ?? {}, signal: options.signal }, address)
    if (!REDIRECTS.has(response.status)) return { response, finalUrl: current.href }
    await response.body?.cancel().catch(() => undefined)
    const location = response.headers.get('location')
    if (!location) throw new Error(`Redirect missing location header (${response.status})`)
    if (hops + 1 > options.maxRedirects) throw new Error(`Too many redirects (limit: ${options.maxRedirects})`)
    const next = parseUrl(location, current)
    if (visited.has(next.href)) throw new Error('Redirect loop detected')
    current = next
  }
}

/**
 * A `fetch` for clients that take one (e.g. the MCP SDK's transport): every request's URL goes through the same
 * checks and address pinning. Redirects are not followed (the caller sees them), bodies and methods pass through.
 * `allowedHosts` are hosts the operator trusts (e.g. an MCP server on the private network): for them only the
 * scheme and credential checks apply.
 */
export function createGuardedFetch(network: NetworkAccess, options: { allowedHosts?: readonly string[] } = {}): typeof fetch {
  const allowed = new Set((options.allowedHosts ?? []).map((host) => host.toLowerCase().replace(/^\[|\]$/g, '')))
  return async (input, init) => {
    const request = new Request(input, init)
    const url = parseUrl(request.url)
    const trusted = allowed.has(url.hostname.toLowerCase().replace(/^\[|\]$/g, ''))
    const address = await checkTarget(url, trusted ? { ...network, testPolicy: { allowPrivateAddresses: true, allowAnyPort: true } } : network)
    const headers: Record<string, string> = {}
    request.headers.forEach((value, name) => (headers[name] = value))
    const body = request.body === null ? undefined : await request.arrayBuffer()
    return network.request(url, { method: request.method, headers, signal: request.signal, ...(body ? { body } : {}) }, address)
  }
}

/** Reads at most `maxBytes` of a body, cancelling the rest of the stream; `truncated` says whether it was cut. */
export async function readBodyPrefix(response: Response, maxBytes = MAX_BODY_BYTES): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(), truncated: false }
  const reader = response.body.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  let truncated = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    const room = maxBytes - size
    if (value.byteLength > room) {
      parts.push(value.subarray(0, room))
      size += room
      truncated = true
      await reader.cancel().catch(() => undefined)
      break
    }
    parts.push(value)
    size += value.byteLength
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    bytes.set(part, offset)
    offset += part.byteLength
  }
  return { bytes, truncated }
}

/** Runs every check for one hop and returns the address to connect to (undefined: let the platform resolve). */
async function checkTarget(url: URL, network: NetworkAccess): Promise<string | undefined> {
  const policy: GuardPolicy = network.testPolicy ?? {}
  const { literalAddress } = checkUrl(url, policy)
  if (literalAddress) return literalAddress
  const host = url.hostname.replace(/\.$/, '')
  const addresses = await network.resolve(host).catch((error: unknown) => {
    throw new NetworkBlockedError(`Unable to resolve hostname: ${host}${error instanceof Error && error.message ? ` (${error.message})` : ''}`)
  })
  // Where the runtime cannot resolve (Workers), its egress isolation stands in for the address check.
  if (addresses === undefined) return undefined
  return checkResolved(host, addresses, policy)
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base)
  } catch {
    throw new NetworkBlockedError('Invalid URL: must be http or https')
  }
}

/** A network capability over plain `fetch`: no DNS (the platform's egress isolation applies), no pinning. */
export function fetchNetworkAccess(fetchImpl: typeof fetch): NetworkAccess {
  return {
    resolve: async () => undefined,
    request: (url, init) => fetchImpl(url, { ...init, redirect: 'manual' }),
  }
}
