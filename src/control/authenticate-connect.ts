import type { GatewayAuth } from '../gateway/gateway-auth.js'
import { secretsEqual } from '../http/secrets-equal.js'
import type { ConnectParams } from './protocol.js'

/** Why a `connect` was refused; the message is also the close reason the Control UI shows. */
export type AuthFailure = { reason: 'token_missing' | 'token_mismatch' | 'password_missing' | 'password_mismatch'; message: string }

// Upstream's wording for a Control UI client; the UI's overview searches these for "unauthorized" (spec §3.4).
const TOKEN_HINT = 'open a tokenized dashboard URL or paste token in Control UI settings'
const PASSWORD_HINT = 'enter the password in Control UI settings'

/**
 * Checks `connect.auth` against the gateway's current secret in constant time (spec §3.4). The caller passes the
 * auth read at connect time, so a token changed by hot reload applies to the next connect. The `device` block is
 * ignored: we behave like upstream's `allowInsecureAuth` and never issue device tokens.
 */
export async function authenticateConnect(params: ConnectParams, auth: GatewayAuth): Promise<AuthFailure | undefined> {
  if (auth.mode === 'password') {
    const presented = params.auth?.password
    if (!presented) return { reason: 'password_missing', message: `unauthorized: gateway password missing (${PASSWORD_HINT})` }
    if (!(await secretsEqual(presented, auth.password))) {
      return { reason: 'password_mismatch', message: `unauthorized: gateway password mismatch (${PASSWORD_HINT})` }
    }
    return undefined
  }
  const presented = params.auth?.token
  if (!presented) return { reason: 'token_missing', message: `unauthorized: gateway token missing (${TOKEN_HINT})` }
  if (!(await secretsEqual(presented, auth.token))) {
    return { reason: 'token_mismatch', message: `unauthorized: gateway token mismatch (${TOKEN_HINT})` }
  }
  return undefined
}
