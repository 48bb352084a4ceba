import { describe, it, expect } from 'vitest'
import { resolveGatewayAuth, type ResolveGatewayAuthInput } from './gateway-auth.js'
import { CliError } from '../cli/cli-error.js'

const base: ResolveGatewayAuthInput = {
  config: {},
  flags: {},
  env: {},
  loopbackOnly: false,
  randomToken: () => 'generated-token-123',
}

function refusal(input: Partial<ResolveGatewayAuthInput>): string[] {
  try {
    resolveGatewayAuth({ ...base, ...input })
  } catch (error) {
    if (error instanceof CliError) return error.lines
    throw error
  }
  throw new Error('expected a refusal')
}

describe('resolveGatewayAuth', () => {
  it('refuses a non-loopback bind without a token, with upstream text (spec vector 1)', () => {
    expect(refusal({})).toEqual([
      'Gateway auth is set to token, but no token is configured.',
      'Set gateway.auth.token (or CLAWDBOT_GATEWAY_TOKEN), or pass --token.',
    ])
  })

  it('uses flag over config over env', () => {
    const config = { gateway: { auth: { token: 'from-config' } } }
    const env = { CLAWDBOT_GATEWAY_TOKEN: 'from-env' }
    expect(resolveGatewayAuth({ ...base, config, env, flags: { token: 'from-flag' } })).toEqual({ mode: 'token', token: 'from-flag', generated: false })
    expect(resolveGatewayAuth({ ...base, config, env })).toEqual({ mode: 'token', token: 'from-config', generated: false })
    expect(resolveGatewayAuth({ ...base, env })).toEqual({ mode: 'token', token: 'from-env', generated: false })
  })

  it('switches to password mode when only a password is set', () => {
    expect(resolveGatewayAuth({ ...base, env: { CLAWDBOT_GATEWAY_PASSWORD: 'hunter22' } })).toEqual({ mode: 'password', password: 'hunter22' })
  })

  it('refuses password mode without a password, even on loopback', () => {
    expect(refusal({ flags: { auth: 'password' }, loopbackOnly: true })).toEqual([
      'Gateway auth is set to password, but no password is configured.',
      'Set gateway.auth.password (or CLAWDBOT_GATEWAY_PASSWORD), or pass --password.',
    ])
  })

  it('generates a token for this run on loopback when nothing is configured', () => {
    expect(resolveGatewayAuth({ ...base, loopbackOnly: true })).toEqual({ mode: 'token', token: 'generated-token-123', generated: true })
  })

  it('treats blank values as unset', () => {
    expect(refusal({ env: { CLAWDBOT_GATEWAY_TOKEN: '  ' } })[0]).toContain('no token is configured')
  })

  it('explains that gateway.remote.token does not protect the local gateway', () => {
    expect(refusal({ config: { gateway: { remote: { token: 'r' } } } })).toContain(
      '"gateway.remote.token" is for remote CLI calls; it does not enable local gateway auth.',
    )
  })
})
