import type { GatewayCliOptions, BindMode } from '../../cli/parse-cli-args.js'
import { CliError } from '../../cli/cli-error.js'
import type { ResolvedConfig } from '../../config/load-config.js'
import { resolveGatewayAuth, type GatewayAuth } from '../../gateway/gateway-auth.js'
import { resolveBind, type ResolvedBind } from '../../gateway/resolve-bind.js'
import { randomBytes } from 'node:crypto'

const DEFAULT_PORT = 18_789
const DEV_PORT = 19_001

/** What the listener needs: computed at start and again on every config reload. */
export interface GatewaySettings {
  port: number
  bind: ResolvedBind
  auth: GatewayAuth
}

/**
 * Port, bind and auth from CLI flags, the environment as it was at start-up, and the config, with upstream's
 * precedence (flag > env > config > default for the port; flag > config > env for secrets).
 */
export function resolveGatewaySettings(
  options: GatewayCliOptions,
  config: ResolvedConfig,
  env: Record<string, string | undefined>,
  previous?: GatewayAuth,
): GatewaySettings {
  const port = resolveGatewayPort(options, config, env)
  const bindMode = (options.bind ?? config.gateway?.bind ?? 'loopback') as BindMode
  if (bindMode === 'tailnet') {
    throw new CliError([
      'gateway.bind "tailnet" is not supported by this gateway (there is no Tailscale daemon here).',
      'Use "lan" to listen on every interface (Fly.io), or "loopback" for local use.',
    ])
  }
  const bind = resolveBind(bindMode, (config.gateway as { customBindHost?: string } | undefined)?.customBindHost)
  const auth = resolveGatewayAuth({
    config,
    flags: options,
    env,
    loopbackOnly: bind.loopbackOnly,
    randomToken: () => randomBytes(24).toString('hex'),
  })
  // A token made up for this run stays the same across reloads, so open browser tabs keep working.
  if (auth.mode === 'token' && auth.generated && previous?.mode === 'token' && previous.generated) {
    return { port, bind, auth: previous }
  }
  return { port, bind, auth }
}

/**
 * The port with upstream's precedence: `--port`, then `CLAWDBOT_GATEWAY_PORT` (ignored unless a positive integer),
 * then `gateway.port`, then 18789 (19001 for the dev profile). Shared by the gateway, `--force` and `health`.
 */
export function resolveGatewayPort(
  options: { port?: number; dev?: boolean },
  config: Pick<ResolvedConfig, 'gateway'> | undefined,
  env: Record<string, string | undefined>,
): number {
  return options.port ?? envPort(env.CLAWDBOT_GATEWAY_PORT) ?? config?.gateway?.port ?? (options.dev ? DEV_PORT : DEFAULT_PORT)
}

function envPort(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined
  const port = Number(value)
  return port > 0 && port <= 65_535 ? port : undefined
}
