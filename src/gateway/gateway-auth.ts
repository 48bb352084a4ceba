import { CliError } from '../cli/cli-error.js'

/** The secret clients must present; always set once the gateway runs. */
export type GatewayAuth =
  | { mode: 'token'; token: string; /** Made up for this run because none was configured (loopback only). */ generated: boolean }
  | { mode: 'password'; password: string }

/** The parts of the config that decide auth; kept structural so the resolver works before full validation too. */
export interface AuthConfigView {
  gateway?: {
    auth?: { mode?: 'token' | 'password'; token?: string; password?: string }
    remote?: { token?: string }
  }
}

export interface ResolveGatewayAuthInput {
  config: AuthConfigView
  flags: { token?: string; password?: string; auth?: 'token' | 'password' }
  env: Record<string, string | undefined>
  /** True when every listening address is a loopback address. */
  loopbackOnly: boolean
  randomToken: () => string
}

/**
 * Works out the gateway secret from flags, config and environment with upstream's precedence (flag > config > env)
 * and refusal texts. Deviation: on loopback with nothing configured a token is generated for this run instead of
 * refusing, so a first local start just works.
 */
export function resolveGatewayAuth(input: ResolveGatewayAuthInput): GatewayAuth {
  const configured = input.config.gateway?.auth ?? {}
  const token = nonEmpty(input.flags.token) ?? nonEmpty(configured.token) ?? nonEmpty(input.env.CLAWDBOT_GATEWAY_TOKEN)
  const password =
    nonEmpty(input.flags.password) ?? nonEmpty(configured.password) ?? nonEmpty(input.env.CLAWDBOT_GATEWAY_PASSWORD)
  const mode = input.flags.auth ?? configured.mode ?? (password ? 'password' : 'token')

  if (mode === 'password') {
    if (password) return { mode, password }
    throw new CliError([
      'Gateway auth is set to password, but no password is configured.',
      'Set gateway.auth.password (or CLAWDBOT_GATEWAY_PASSWORD), or pass --password.',
    ])
  }
  if (token) return { mode, token, generated: false }
  if (input.loopbackOnly) return { mode, token: input.randomToken(), generated: true }

  const lines = [
    'Gateway auth is set to token, but no token is configured.',
    'Set gateway.auth.token (or CLAWDBOT_GATEWAY_TOKEN), or pass --token.',
  ]
  if (nonEmpty(input.config.gateway?.remote?.token)) {
    lines.push('"gateway.remote.token" is for remote CLI calls; it does not enable local gateway auth.')
  }
  throw new CliError(lines)
}

/** The secret values of an auth result, for log redaction. */
export function authSecrets(auth: GatewayAuth): string[] {
  return auth.mode === 'token' ? [auth.token] : [auth.password]
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined
}
