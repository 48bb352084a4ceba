/*
 * The SSRF rules for every URL a model or a config chose (spec/agent-tools.md §3.3.1): upstream's name and
 * private-range checks with its messages, plus every other non-global range, ports 80/443 only, and no
 * `user:pass@`. Hosts are checked before connecting, and on Node the checked address is the one connected to.
 */

/** A URL the guard refuses; the message is upstream's wording (or ours for checks upstream lacks). */
export class NetworkBlockedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NetworkBlockedError'
  }
}

/** Relaxations for tests only (see `NetworkAccess.testPolicy`). */
export interface GuardPolicy {
  allowPrivateAddresses?: boolean
  allowAnyPort?: boolean
}

const BLOCKED_NAMES = new Set(['localhost', 'metadata.google.internal'])
const BLOCKED_SUFFIXES = ['.localhost', '.local', '.internal']
const ALLOWED_PORTS = new Set(['', '80', '443'])

/**
 * Checks scheme, credentials, port, host name and literal IPs of a URL (no DNS). Returns the literal IP when the
 * host is one, so the caller does not resolve it.
 */
export function checkUrl(url: URL, policy: GuardPolicy = {}): { literalAddress?: string } {
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '') {
    throw new NetworkBlockedError('Invalid URL: must be http or https')
  }
  if (!policy.allowAnyPort && !ALLOWED_PORTS.has(url.port)) {
    throw new NetworkBlockedError(`Blocked: port ${url.port} is not allowed (only 80 and 443)`)
  }
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '')
  const literal = parseIp(host)
  if (literal) {
    if (!policy.allowPrivateAddresses && isBlockedAddress(host)) throw new NetworkBlockedError('Blocked: private/internal IP address')
    return { literalAddress: host }
  }
  if (!policy.allowPrivateAddresses && (BLOCKED_NAMES.has(host) || BLOCKED_SUFFIXES.some((suffix) => host.endsWith(suffix)))) {
    throw new NetworkBlockedError(`Blocked hostname: ${host}`)
  }
  return {}
}

/** Checks a name's DNS answers; returns the address to connect to (the first one, all having passed). */
export function checkResolved(host: string, addresses: readonly string[], policy: GuardPolicy = {}): string {
  if (addresses.length === 0) throw new NetworkBlockedError(`Unable to resolve hostname: ${host}`)
  if (!policy.allowPrivateAddresses && addresses.some(isBlockedAddress)) {
    throw new NetworkBlockedError('Blocked: resolves to private/internal IP address')
  }
  return addresses[0]
}

/** True for every address that is not global unicast (private, loopback, link-local, reserved, tunnels…). */
export function isBlockedAddress(address: string): boolean {
  const ip = parseIp(address.toLowerCase().replace(/^\[|\]$/g, ''))
  if (!ip) return true
  return ip.length === 4 ? isBlockedV4(ip) : isBlockedV6(ip)
}

// CIDR blocks: four octets and the prefix length.
const BLOCKED_V4: ReadonlyArray<[number, number, number, number, number]> = [
  [0, 0, 0, 0, 8],
  [10, 0, 0, 0, 8],
  [100, 64, 0, 0, 10],
  [127, 0, 0, 0, 8],
  [169, 254, 0, 0, 16],
  [172, 16, 0, 0, 12],
  [192, 0, 0, 0, 24],
  [192, 0, 2, 0, 24],
  [192, 88, 99, 0, 24],
  [192, 168, 0, 0, 16],
  [198, 18, 0, 0, 15],
  [198, 51, 100, 0, 24],
  [203, 0, 113, 0, 24],
  [224, 0, 0, 0, 4],
  [240, 0, 0, 0, 4],
]

function isBlockedV4(octets: number[]): boolean {
  const value = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0
  return BLOCKED_V4.some(([a, b, c, d, prefix]) => {
    const base = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
    return (value & mask) >>> 0 === base
  })
}

function isBlockedV6(groups: number[]): boolean {
  // IPv4-mapped (::ffff:0:0/96): judge the embedded IPv4 address.
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return isBlockedV4([groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff])
  }
  // Only global unicast (2000::/3) can be public; that also covers ::, ::1, ::a.b.c.d, fc00::/7, fe80::/10,
  // fec0::/10, ff00::/8 and 64:ff9b::/96 (NAT64).
  if ((groups[0] & 0xe000) !== 0x2000) return true
  if (groups[0] === 0x2002) return true // 6to4
  if (groups[0] === 0x2001 && groups[1] === 0) return true // Teredo
  if (groups[0] === 0x2001 && groups[1] === 0x0db8) return true // documentation
  if (groups[0] === 0x2001 && groups[1] < 0x0200) return true // IETF protocol assignments (ORCHID, benchmarking…)
  return false
}

/** Parses a literal IPv4 (4 octets) or IPv6 (8 groups) address; undefined for anything else. */
function parseIp(text: string): number[] | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const octets = text.split('.').map(Number)
    return octets.every((octet) => octet <= 255) ? octets : undefined
  }
  if (!text.includes(':') || !/^[0-9a-f:.]+$/.test(text)) return undefined
  let tail: number[] = []
  let body = text
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text)
  if (v4) {
    const octets = parseIp(v4[1])
    if (!octets) return undefined
    tail = [(octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]]
    body = text.slice(0, -v4[1].length)
    if (!body.endsWith(':')) return undefined
    if (!body.endsWith('::')) body = body.slice(0, -1)
  }
  const halves = body.split('::')
  if (halves.length > 2) return undefined
  const read = (part: string) => (part === '' ? [] : part.split(':').map((group) => (/^[0-9a-f]{1,4}$/.test(group) ? parseInt(group, 16) : Number.NaN)))
  const head = read(halves[0])
  const rest = halves.length === 2 ? read(halves[1]) : []
  const needed = 8 - tail.length
  if (halves.length === 1 && head.length !== needed) return undefined
  if (head.length + rest.length > needed) return undefined
  const groups = [...head, ...new Array(needed - head.length - rest.length).fill(0), ...rest, ...tail]
  return groups.length === 8 && groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? groups : undefined
}
