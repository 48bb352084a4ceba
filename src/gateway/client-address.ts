/**
 * Who is on the other end of a request, for the failed-auth limiter and the pending-socket bound. Behind a proxy the
 * peer is the proxy, so every client would share one counter (and one stranger could lock everybody out). Forwarding
 * headers are only believed when the peer is listed in `gateway.trustedProxies`: otherwise anyone could pick their
 * own address per request and dodge the limiter.
 */
export interface ClientAddressInput {
  /** The TCP peer as the runtime sees it (Node socket), or the address a trusted edge already resolved (Workers). */
  peer: string | undefined
  headers: { get(name: string): string | null | undefined }
  /** `gateway.trustedProxies`: IPs or CIDR ranges (`10.0.0.0/8`, `fdaa::/16`). */
  trustedProxies: readonly string[] | undefined
}

/**
 * The client's address: `Fly-Client-IP`, else the right-most untrusted `X-Forwarded-For` hop, when the peer is a
 * trusted proxy; the peer itself otherwise.
 */
export function resolveClientAddress(input: ClientAddressInput): string | undefined {
  const peer = input.peer === undefined ? undefined : normalizeAddress(input.peer)
  const trusted = input.trustedProxies ?? []
  if (peer === undefined || trusted.length === 0 || !isTrustedProxy(peer, trusted)) return peer
  const flyClient = input.headers.get('fly-client-ip')?.trim()
  if (flyClient && parseAddress(flyClient)) return normalizeAddress(flyClient)
  const forwarded = (input.headers.get('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim()).filter(Boolean)
  // Walk from the nearest hop outwards; the first address our proxies did not add is the client.
  for (let index = forwarded.length - 1; index >= 0; index -= 1) {
    const hop = normalizeAddress(forwarded[index]!)
    if (!parseAddress(hop)) break
    if (!isTrustedProxy(hop, trusted)) return hop
  }
  return peer
}

/** Whether `address` falls in one of the trusted entries (exact IPs or CIDR ranges); bad entries match nothing. */
export function isTrustedProxy(address: string, trusted: readonly string[]): boolean {
  const parsed = parseAddress(normalizeAddress(address))
  if (!parsed) return false
  return trusted.some((entry) => {
    const [base, bitsText] = entry.trim().split('/')
    const range = parseAddress(normalizeAddress(base ?? ''))
    if (!range || range.version !== parsed.version) return false
    const width = parsed.version === 4 ? 32 : 128
    const bits = bitsText === undefined ? width : Number(bitsText)
    if (!Number.isInteger(bits) || bits < 0 || bits > width) return false
    const shift = BigInt(width - bits)
    return parsed.value >> shift === range.value >> shift
  })
}

/** Strips an IPv4-mapped IPv6 prefix (`::ffff:127.0.0.1`) and brackets, so one client has one spelling. */
export function normalizeAddress(address: string): string {
  const bare = address.trim().replace(/^\[(.*)\]$/, '$1')
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)
  return mapped ? mapped[1]! : bare.toLowerCase()
}

function parseAddress(address: string): { version: 4 | 6; value: bigint } | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address)
  if (v4) {
    const parts = v4.slice(1).map(Number)
    if (parts.some((part) => part > 255)) return undefined
    return { version: 4, value: parts.reduce((sum, part) => (sum << 8n) + BigInt(part), 0n) }
  }
  if (!/^[0-9a-f:]+$/.test(address) || address.split('::').length > 2) return undefined
  const [head = '', tail] = address.split('::')
  const headGroups = head === '' ? [] : head.split(':')
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':')
  const missing = 8 - headGroups.length - tailGroups.length
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups]
  if (groups.some((group) => group.length === 0 || group.length > 4)) return undefined
  return { version: 6, value: groups.reduce((sum, group) => (sum << 16n) + BigInt(parseInt(group, 16)), 0n) }
}
