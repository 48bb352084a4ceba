import { CliError } from './cli-error.js'
import { parseCronArgs, type CronCliCommand } from './parse-cron-args.js'

/** The commands this binary understands, with their parsed options. */
export type CliCommand =
  | { kind: 'help'; topic?: 'gateway' | 'config' | 'health' | 'pairing' | 'doctor' | 'cron' }
  | { kind: 'version' }
  | { kind: 'gateway'; options: GatewayCliOptions }
  | { kind: 'config-validate'; path?: string; json: boolean }
  | { kind: 'health'; url?: string; token?: string; password?: string; json: boolean; timeoutMs: number }
  | { kind: 'pairing-approve'; channel: 'discord' | 'telegram'; code: string }
  | { kind: 'doctor'; fix: boolean; json: boolean }
  | ({ kind: 'cron' } & CronCliCommand)

export type BindMode = 'loopback' | 'lan' | 'tailnet' | 'auto' | 'custom'

export interface GatewayCliOptions {
  port?: number
  bind?: BindMode
  token?: string
  password?: string
  auth?: 'token' | 'password'
  allowUnconfigured: boolean
  verbose: boolean
  force: boolean
  dev: boolean
  reset: boolean
  profile?: string
}

interface OptionSpec {
  flag: string
  value?: string
}

const GLOBAL_OPTIONS: OptionSpec[] = [{ flag: '--dev' }, { flag: '--profile', value: 'name' }]

const GATEWAY_OPTIONS: OptionSpec[] = [
  { flag: '--port', value: 'port' },
  { flag: '--bind', value: 'mode' },
  { flag: '--token', value: 'token' },
  { flag: '--password', value: 'password' },
  { flag: '--auth', value: 'mode' },
  { flag: '--tailscale', value: 'mode' },
  { flag: '--tailscale-reset-on-exit' },
  { flag: '--allow-unconfigured' },
  { flag: '--dev' },
  { flag: '--reset' },
  { flag: '--force' },
  { flag: '--verbose' },
  // Accepted for upstream compatibility; they only change upstream's console styling or debug capture.
  { flag: '--ws-log', value: 'style' },
  { flag: '--compact' },
  { flag: '--claude-cli-logs' },
  { flag: '--raw-stream' },
  { flag: '--raw-stream-path', value: 'path' },
]

const CONFIG_VALIDATE_OPTIONS: OptionSpec[] = [{ flag: '--path', value: 'path' }, { flag: '--json' }]

const DOCTOR_OPTIONS: OptionSpec[] = [{ flag: '--fix' }, { flag: '--json' }]

const HEALTH_OPTIONS: OptionSpec[] = [
  { flag: '--url', value: 'url' },
  { flag: '--token', value: 'token' },
  { flag: '--password', value: 'password' },
  { flag: '--json' },
  { flag: '--timeout', value: 'ms' },
  { flag: '--verbose' },
]

const BIND_MODES: readonly BindMode[] = ['loopback', 'lan', 'tailnet', 'auto', 'custom']

/**
 * Turns `argv` (without `node` and the script path) into a command. Unknown flags, missing values and bad values
 * throw a CliError with upstream's wording, so scripts written for upstream get the same failures.
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const args = [...argv]
  const globals = takeLeadingGlobals(args)
  const first = args[0]
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    return { kind: 'help', topic: helpTopic(args[1]) }
  }
  if (first === '--version' || first === '-V' || first === '-v' || first === 'version') return { kind: 'version' }

  if (first === 'gateway') {
    const rest = args.slice(args[1] === 'run' ? 2 : 1)
    if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', topic: 'gateway' }
    if (rest[0] !== undefined && !rest[0].startsWith('-')) {
      throw new CliError(`error: unknown command '${rest[0]}'`, { showUsage: true })
    }
    return { kind: 'gateway', options: toGatewayOptions(readOptions(rest, GATEWAY_OPTIONS), globals) }
  }
  if (first === 'config') {
    if (args[1] === undefined || args[1] === '--help' || args[1] === '-h') return { kind: 'help', topic: 'config' }
    if (args[1] !== 'validate') throw new CliError(`error: unknown command '${args[1]}'`, { showUsage: true })
    const rest = args.slice(2)
    if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', topic: 'config' }
    const values = readOptions(rest, CONFIG_VALIDATE_OPTIONS)
    return { kind: 'config-validate', path: values.get('--path') as string | undefined, json: values.has('--json') }
  }
  if (first === 'health') {
    const rest = args.slice(1)
    if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', topic: 'health' }
    const values = readOptions(rest, HEALTH_OPTIONS)
    const timeout = values.get('--timeout') as string | undefined
    const timeoutMs = timeout === undefined ? 10_000 : Number(timeout)
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new CliError('Invalid --timeout (use milliseconds, e.g. 10000)')
    return {
      kind: 'health',
      url: values.get('--url') as string | undefined,
      token: values.get('--token') as string | undefined,
      password: values.get('--password') as string | undefined,
      json: values.has('--json'),
      timeoutMs,
    }
  }
  if (first === 'doctor') {
    const rest = args.slice(1)
    if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', topic: 'doctor' }
    const values = readOptions(rest, DOCTOR_OPTIONS)
    return { kind: 'doctor', fix: values.has('--fix'), json: values.has('--json') }
  }
  if (first === 'pairing') {
    if (args[1] === undefined || args.includes('--help') || args.includes('-h')) return { kind: 'help', topic: 'pairing' }
    if (args[1] !== 'approve') throw new CliError(`error: unknown command '${args[1]}'`, { showUsage: true })
    const [channel, code, ...extra] = args.slice(2)
    if (channel !== 'discord' && channel !== 'telegram') {
      throw new CliError(channel === undefined ? "error: missing required argument 'channel'" : `Unsupported channel "${channel}" (only "discord" and "telegram" pair here).`, { showUsage: true })
    }
    if (code === undefined || code.startsWith('-')) throw new CliError("error: missing required argument 'code'", { showUsage: true })
    if (extra.length > 0) throw new CliError(`error: too many arguments. Expected 2 arguments but got ${2 + extra.length}.`, { showUsage: true })
    return { kind: 'pairing-approve', channel, code }
  }
  if (first === 'cron') {
    if (args[1] === undefined || args.includes('--help') || args.includes('-h')) return { kind: 'help', topic: 'cron' }
    return { kind: 'cron', ...parseCronArgs(args.slice(1), Date.now()) }
  }
  if (first.startsWith('-')) throw new CliError(`error: unknown option '${first}'`, { showUsage: true })
  throw new CliError(`error: unknown command '${first}'`, { showUsage: true })
}

function helpTopic(value: string | undefined): 'gateway' | 'config' | 'health' | 'pairing' | 'doctor' | 'cron' | undefined {
  return value === 'gateway' || value === 'config' || value === 'health' || value === 'pairing' || value === 'doctor' || value === 'cron' ? value : undefined
}

// `--dev` and `--profile` may stand before the command, as upstream's global flags do.
function takeLeadingGlobals(args: string[]): Map<string, string | true> {
  const found = new Map<string, string | true>()
  while (args.length > 0 && GLOBAL_OPTIONS.some((spec) => args[0] === spec.flag || args[0].startsWith(`${spec.flag}=`))) {
    const parsed = readOptions(args.splice(0, args[0] === '--profile' ? 2 : 1), GLOBAL_OPTIONS)
    for (const [key, value] of parsed) found.set(key, value)
  }
  return found
}

function readOptions(args: readonly string[], specs: readonly OptionSpec[]): Map<string, string | true> {
  const values = new Map<string, string | true>()
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]
    if (!arg.startsWith('-')) throw new CliError(`error: too many arguments. Expected 0 arguments but got '${arg}'.`, { showUsage: true })
    const equals = arg.indexOf('=')
    const flag = equals > 0 ? arg.slice(0, equals) : arg
    const spec = specs.find((candidate) => candidate.flag === flag)
    if (!spec) throw new CliError(`error: unknown option '${flag}'`, { showUsage: true })
    if (!spec.value) {
      if (equals > 0) throw new CliError(`error: option '${flag}' does not take a value`, { showUsage: true })
      values.set(flag, true)
      continue
    }
    const value = equals > 0 ? arg.slice(equals + 1) : args[++index]
    if (value === undefined || (equals < 0 && value.startsWith('--'))) {
      throw new CliError(`error: option '${flag} <${spec.value}>' argument missing`, { showUsage: true })
    }
    values.set(flag, value)
  }
  return values
}

function toGatewayOptions(values: Map<string, string | true>, globals: Map<string, string | true>): GatewayCliOptions {
  const text = (flag: string) => values.get(flag) as string | undefined
  const options: GatewayCliOptions = {
    allowUnconfigured: values.has('--allow-unconfigured'),
    verbose: values.has('--verbose'),
    force: values.has('--force'),
    dev: values.has('--dev') || globals.has('--dev'),
    reset: values.has('--reset'),
    profile: globals.get('--profile') as string | undefined,
    token: text('--token'),
    password: text('--password'),
  }
  const port = text('--port')
  if (port !== undefined) {
    // Port 0 (any free port) is our addition for tests and benchmarks; upstream accepts positive ports only.
    if (!/^\d+$/.test(port) || Number(port) > 65_535) throw new CliError('Invalid port')
    options.port = Number(port)
  }
  const bind = text('--bind')
  if (bind !== undefined) {
    if (!BIND_MODES.includes(bind as BindMode)) {
      throw new CliError('Invalid --bind (use "loopback", "lan", "tailnet", "auto", or "custom")')
    }
    options.bind = bind as BindMode
  }
  const auth = text('--auth')
  if (auth !== undefined) {
    if (auth !== 'token' && auth !== 'password') throw new CliError('Invalid --auth (use "token" or "password")')
    options.auth = auth
  }
  const tailscale = text('--tailscale')
  if (tailscale !== undefined) {
    if (!['off', 'serve', 'funnel'].includes(tailscale)) {
      throw new CliError('Invalid --tailscale (use "off", "serve", or "funnel")')
    }
    if (tailscale !== 'off') {
      throw new CliError([
        `--tailscale ${tailscale} is not supported by this gateway (there is no Tailscale daemon here).`,
        'Use --tailscale off, or put the gateway behind your own HTTPS proxy (Fly does this for you).',
      ])
    }
  }
  if (options.reset && !options.dev) throw new CliError('Use --reset with --dev.')
  if (options.bind === 'tailnet') {
    throw new CliError([
      '--bind tailnet is not supported by this gateway (there is no Tailscale daemon here).',
      'Use --bind lan to listen on every interface (Fly.io), or --bind loopback for local use.',
    ])
  }
  return options
}
