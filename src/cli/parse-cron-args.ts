import { parseAbsoluteTime } from '../automation/normalize-cron-input.js'
import { parseDurationMs } from '../automation/heartbeat-settings.js'
import { CliError } from './cli-error.js'

/** Where the CLI finds the gateway. */
export interface GatewayTarget {
  url?: string
  token?: string
  password?: string
  timeoutMs: number
}

/** `cron list|add|rm|run` with their options. */
export type CronCliCommand = GatewayTarget &
  (
    | { action: 'list'; all: boolean; json: boolean }
    | { action: 'add'; job: Record<string, unknown>; json: boolean }
    | { action: 'rm'; id: string }
    | { action: 'run'; id: string; due: boolean }
  )

const VALUE_FLAGS = new Set(['--url', '--token', '--password', '--timeout', '--name', '--at', '--every', '--cron', '--tz', '--message', '--system-event', '--channel', '--to', '--wake', '--agent', '--description'])
const BOOLEAN_FLAGS = new Set(['--all', '--json', '--due', '--no-deliver', '--keep-after-run', '--disabled'])

/**
 * Parses `cron <action> …`. `--at` takes a relative time (`20m`, `2h`, `1d`) as well as an ISO time or epoch ms;
 * a reminder (`--message`) is delivered to where you last talked to the assistant unless `--no-deliver`.
 */
export function parseCronArgs(args: readonly string[], now: number): CronCliCommand {
  const [action, ...rest] = args
  const positional: string[] = []
  const values = new Map<string, string | true>()
  for (let index = 0; index < rest.length; index += 1) {
    const arg = rest[index]!
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    const equals = arg.indexOf('=')
    const flag = equals > 0 ? arg.slice(0, equals) : arg
    if (BOOLEAN_FLAGS.has(flag)) values.set(flag, true)
    else if (VALUE_FLAGS.has(flag)) {
      const value = equals > 0 ? arg.slice(equals + 1) : rest[++index]
      if (value === undefined) throw new CliError(`error: option '${flag}' argument missing`, { showUsage: true })
      values.set(flag, value)
    } else throw new CliError(`error: unknown option '${flag}'`, { showUsage: true })
  }
  const text = (flag: string) => values.get(flag) as string | undefined
  const timeout = text('--timeout')
  const timeoutMs = timeout === undefined ? 10_000 : Number(timeout)
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new CliError('Invalid --timeout (use milliseconds, e.g. 10000)')
  const target: GatewayTarget = { url: text('--url'), token: text('--token'), password: text('--password'), timeoutMs }
  const id = () => {
    if (positional.length !== 1) throw new CliError(`error: ${action} needs exactly one job id (see \`cron list\`)`, { showUsage: true })
    return positional[0]!
  }

  if (action === 'list') return { ...target, action, all: values.has('--all'), json: values.has('--json') }
  if (action === 'rm' || action === 'remove') return { ...target, action: 'rm', id: id() }
  if (action === 'run') return { ...target, action, id: id(), due: values.has('--due') }
  if (action !== 'add') throw new CliError(action === undefined ? 'error: missing cron action (list, add, rm, run)' : `error: unknown command '${action}'`, { showUsage: true })

  const name = text('--name')?.trim()
  if (!name) throw new CliError('error: --name is required (a short label for the job)', { showUsage: true })
  const schedules = ['--at', '--every', '--cron'].filter((flag) => values.has(flag))
  if (schedules.length !== 1) throw new CliError('error: give exactly one of --at <when>, --every <duration>, --cron <expr>', { showUsage: true })
  let schedule: Record<string, unknown>
  if (values.has('--at')) {
    const raw = text('--at')!
    const relative = /^\d/.test(raw) && !/^\d+$/.test(raw) && !raw.includes('-') ? parseDurationMs(raw) : undefined
    const atMs = relative !== undefined ? now + relative : parseAbsoluteTime(raw)
    if (atMs === undefined) throw new CliError(`Invalid --at "${raw}" (use 20m, 2h, 1d, an ISO time like 2026-01-12T18:00:00Z, or epoch ms)`)
    schedule = { kind: 'at', atMs }
  } else if (values.has('--every')) {
    const everyMs = parseDurationMs(text('--every')!)
    if (everyMs === undefined || everyMs < 1) throw new CliError('Invalid --every (use a duration such as 30m, 2h or 1d)')
    schedule = { kind: 'every', everyMs }
  } else {
    schedule = { kind: 'cron', expr: text('--cron')!, ...(text('--tz') ? { tz: text('--tz') } : {}) }
  }
  const message = text('--message')
  const systemEvent = text('--system-event')
  if ((message === undefined) === (systemEvent === undefined)) throw new CliError('error: give exactly one of --message <text> (an agent turn) or --system-event <text> (the main session)', { showUsage: true })
  const channel = text('--channel')
  const to = text('--to')
  const payload = message !== undefined
    ? { kind: 'agentTurn', message, deliver: !values.has('--no-deliver'), ...(channel ? { channel } : {}), ...(to ? { to } : {}) }
    : { kind: 'systemEvent', text: systemEvent }
  const wake = text('--wake')
  if (wake !== undefined && wake !== 'now' && wake !== 'next-heartbeat') throw new CliError('Invalid --wake (use "now" or "next-heartbeat")')
  const job: Record<string, unknown> = {
    name,
    ...(text('--description') ? { description: text('--description') } : {}),
    ...(text('--agent') ? { agentId: text('--agent') } : {}),
    enabled: !values.has('--disabled'),
    schedule,
    ...(schedule.kind === 'at' && !values.has('--keep-after-run') ? { deleteAfterRun: true } : {}),
    wakeMode: wake ?? 'next-heartbeat',
    payload,
  }
  return { ...target, action: 'add', job, json: values.has('--json') }
}
