import type { BindMode } from '../cli/parse-cli-args.js'

/** One address to listen on. `display` is what the log line shows (upstream prints 0.0.0.0 for lan). */
export interface ListenAddress {
  host: string
  display: string
  /** Skipped quietly when the machine cannot bind it (e.g. no IPv6). */
  optional: boolean
  /** Tried instead when `host` cannot be bound (dual-stack `::` → IPv4-only `0.0.0.0`). */
  fallback?: string
}

export interface ResolvedBind {
  mode: Exclude<BindMode, 'tailnet'>
  addresses: ListenAddress[]
  loopbackOnly: boolean
}

/**
 * Maps a bind mode to the addresses to listen on. `lan` listens dual-stack so Fly's proxy and its private IPv6
 * network both reach the gateway, while the log line keeps upstream's `0.0.0.0`.
 */
export function resolveBind(mode: Exclude<BindMode, 'tailnet'>, customHost: string | undefined): ResolvedBind {
  switch (mode) {
    case 'loopback':
    case 'auto':
      // `auto` means loopback when it can be bound, which is always the case on the machines we run on.
      return {
        mode,
        addresses: [
          { host: '127.0.0.1', display: '127.0.0.1', optional: false },
          { host: '::1', display: '[::1]', optional: true },
        ],
        loopbackOnly: true,
      }
    case 'lan':
      return { mode, addresses: [{ host: '::', display: '0.0.0.0', optional: false, fallback: '0.0.0.0' }], loopbackOnly: false }
    case 'custom': {
      const host = customHost?.trim() || '0.0.0.0'
      return {
        mode,
        addresses: [{ host, display: host.includes(':') ? `[${host}]` : host, optional: false }],
        loopbackOnly: isLoopbackHost(host),
      }
    }
  }
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}
