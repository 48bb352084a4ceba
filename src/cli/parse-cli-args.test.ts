import { describe, it, expect } from 'vitest'
import { parseCliArgs } from './parse-cli-args.js'
import { CliError } from './cli-error.js'

function failure(argv: string[]): CliError {
  try {
    parseCliArgs(argv)
  } catch (error) {
    if (error instanceof CliError) return error
    throw error
  }
  throw new Error(`expected ${argv.join(' ')} to fail`)
}

describe('parseCliArgs', () => {
  it('parses the Fly process command', () => {
    expect(parseCliArgs(['gateway', '--allow-unconfigured', '--port', '3000', '--bind', 'lan'])).toEqual({
      kind: 'gateway',
      options: expect.objectContaining({ allowUnconfigured: true, port: 3000, bind: 'lan', verbose: false }),
    })
  })

  it('treats `gateway run` as `gateway` and accepts --flag=value', () => {
    const command = parseCliArgs(['gateway', 'run', '--port=4000', '--token=abc', '--auth', 'token'])
    expect(command).toMatchObject({ kind: 'gateway', options: { port: 4000, token: 'abc', auth: 'token' } })
  })

  it('accepts the global --dev and --profile before the command', () => {
    expect(parseCliArgs(['--profile', 'work', 'gateway'])).toMatchObject({ kind: 'gateway', options: { profile: 'work', dev: false } })
    expect(parseCliArgs(['--dev', 'gateway', '--reset'])).toMatchObject({ options: { dev: true, reset: true } })
  })

  it('rejects bad values with upstream messages', () => {
    expect(failure(['gateway', '--port', 'abc']).message).toBe('Invalid port')
    expect(failure(['gateway', '--port', '70000']).message).toBe('Invalid port')
    expect(failure(['gateway', '--bind', 'all']).message).toBe('Invalid --bind (use "loopback", "lan", "tailnet", "auto", or "custom")')
    expect(failure(['gateway', '--auth', 'magic']).message).toBe('Invalid --auth (use "token" or "password")')
    expect(failure(['gateway', '--reset']).message).toBe('Use --reset with --dev.')
  })

  it('explains that tailnet and tailscale serve are not available here', () => {
    expect(failure(['gateway', '--bind', 'tailnet']).lines[0]).toContain('not supported')
    expect(failure(['gateway', '--tailscale', 'funnel']).lines[0]).toContain('not supported')
    expect(parseCliArgs(['gateway', '--tailscale', 'off'])).toMatchObject({ kind: 'gateway' })
  })

  it('reports unknown flags and missing values in commander style, with usage', () => {
    const unknown = failure(['gateway', '--prot', '3000'])
    expect(unknown.message).toBe("error: unknown option '--prot'")
    expect(unknown.showUsage).toBe(true)
    expect(failure(['gateway', '--port']).message).toBe("error: option '--port <port>' argument missing")
    expect(failure(['gateway', '--port', '--verbose']).message).toBe("error: option '--port <port>' argument missing")
    expect(failure(['launch']).message).toBe("error: unknown command 'launch'")
  })

  it('parses pairing approve and rejects other channels or a missing code', () => {
    expect(parseCliArgs(['pairing', 'approve', 'discord', 'ABCD1234'])).toEqual({ kind: 'pairing-approve', channel: 'discord', code: 'ABCD1234' })
    expect(parseCliArgs(['pairing', 'approve', 'telegram', 'ABCD1234'])).toEqual({ kind: 'pairing-approve', channel: 'telegram', code: 'ABCD1234' })
    expect(failure(['pairing', 'approve', 'slack', 'X']).message).toContain('Unsupported channel "slack"')
    expect(failure(['pairing', 'approve', 'discord']).message).toBe("error: missing required argument 'code'")
    expect(parseCliArgs(['pairing'])).toEqual({ kind: 'help', topic: 'pairing' })
  })

  it('parses help, version, config validate and health', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'help', topic: undefined })
    expect(parseCliArgs(['gateway', '--help'])).toEqual({ kind: 'help', topic: 'gateway' })
    expect(parseCliArgs(['--version'])).toEqual({ kind: 'version' })
    expect(parseCliArgs(['config', 'validate', '--path', 'x.json'])).toEqual({ kind: 'config-validate', path: 'x.json', json: false })
    expect(parseCliArgs(['health', '--url', 'http://h:1', '--json', '--timeout', '500'])).toEqual({
      kind: 'health', url: 'http://h:1', token: undefined, password: undefined, json: true, timeoutMs: 500,
    })
    expect(failure(['health', '--timeout', 'soon']).message).toContain('Invalid --timeout')
  })
})
