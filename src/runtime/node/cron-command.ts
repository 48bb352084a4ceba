import type { CliCommand } from '../../cli/parse-cli-args.js'
import { CliError } from '../../cli/cli-error.js'
import { loadConfig } from '../../config/load-config.js'
import { GatewayRpcError, openGatewayRpc, type GatewayRpc } from './gateway-rpc.js'
import { createNodeConfigIo, resolveNodePaths } from './node-config-io.js'
import { resolveGatewayPort } from './gateway-settings.js'

interface JobRow {
  id: string
  name: string
  enabled: boolean
  schedule: { kind: string; atMs?: number; everyMs?: number; expr?: string; tz?: string }
  state: { nextRunAtMs?: number; lastStatus?: string; lastError?: string }
}

/**
 * `cron list|add|rm|run`: talks to the running gateway's control socket with the token from the flag, the config or
 * `CLAWDBOT_GATEWAY_TOKEN`, as `health` finds it. Exit 0 on success, 1 when the gateway refused or is unreachable.
 */
export async function runCronCommand(command: Extract<CliCommand, { kind: 'cron' }>): Promise<number> {
  const io = createNodeConfigIo()
  const loaded = await loadConfig(resolveNodePaths().configPath, io)
  const gateway = loaded.ok ? loaded.config.gateway : undefined
  const port = resolveGatewayPort({}, loaded.ok ? loaded.config : undefined, io.env)
  const url = (command.url ?? `ws://127.0.0.1:${port}`).replace(/^http/, 'ws')
  const token = command.token ?? gateway?.auth?.token ?? io.env.CLAWDBOT_GATEWAY_TOKEN
  const password = command.password ?? gateway?.auth?.password ?? io.env.CLAWDBOT_GATEWAY_PASSWORD
  let rpc: GatewayRpc
  try {
    rpc = await openGatewayRpc(url, password && !token ? { password } : { token }, command.timeoutMs)
  } catch (error) {
    if (error instanceof GatewayRpcError) {
      throw new CliError([`Gateway at ${url} refused the connection: ${error.message}`, 'Pass --token (or --password), or set CLAWDBOT_GATEWAY_TOKEN to the gateway token.'])
    }
    throw new CliError([`Gateway unreachable at ${url}: ${error instanceof Error ? error.message : String(error)}`, 'Is the gateway running? Pass --url and --token (or set CLAWDBOT_GATEWAY_TOKEN).'])
  }
  try {
    return await run(rpc, command)
  } catch (error) {
    throw new CliError(`cron ${command.action} failed: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    rpc.close()
  }
}

async function run(rpc: GatewayRpc, command: Extract<CliCommand, { kind: 'cron' }>): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`)
  switch (command.action) {
    case 'list': {
      const { jobs } = await rpc.request<{ jobs: JobRow[] }>('cron.list', { includeDisabled: command.all })
      if (command.json) return out(JSON.stringify(jobs, null, 2)), 0
      if (jobs.length === 0) return out(command.all ? 'No jobs.' : 'No enabled jobs (cron list --all shows paused ones).'), 0
      for (const job of jobs) {
        const next = job.state.nextRunAtMs ? new Date(job.state.nextRunAtMs).toISOString() : '-'
        const last = job.state.lastStatus ? `${job.state.lastStatus}${job.state.lastError ? ` (${job.state.lastError})` : ''}` : 'never run'
        out(`${job.id}  ${job.enabled ? '' : '[paused] '}${job.name}  ${describe(job.schedule)}  next ${next}  last ${last}`)
      }
      return 0
    }
    case 'add': {
      const job = await rpc.request<JobRow>('cron.add', command.job)
      if (command.json) return out(JSON.stringify(job, null, 2)), 0
      out(`Added ${job.id} (${job.name}); next run ${job.state.nextRunAtMs ? new Date(job.state.nextRunAtMs).toISOString() : 'not scheduled'}`)
      return 0
    }
    case 'rm': {
      const result = await rpc.request<{ removed: boolean }>('cron.remove', { id: command.id })
      if (!result.removed) return process.stderr.write(`No job with id ${command.id} (see cron list --all).\n`), 1
      return out(`Removed ${command.id}`), 0
    }
    case 'run': {
      const result = await rpc.request<{ ran: boolean; reason?: string }>('cron.run', { id: command.id, mode: command.due ? 'due' : 'force' })
      if (!result.ran) return out(`Not run: ${result.reason ?? 'not due'}`), 0
      const { entries } = await rpc.request<{ entries: { status?: string; error?: string; summary?: string }[] }>('cron.runs', { id: command.id, limit: 1 })
      const last = entries.at(-1)
      out(`Ran ${command.id}: ${last?.status ?? 'done'}${last?.error ? ` (${last.error})` : ''}${last?.summary ? `\n${last.summary}` : ''}`)
      return last?.status === 'error' ? 1 : 0
    }
  }
}

function describe(schedule: JobRow['schedule']): string {
  if (schedule.kind === 'at') return `at ${new Date(schedule.atMs ?? 0).toISOString()}`
  if (schedule.kind === 'every') return `every ${Math.round((schedule.everyMs ?? 0) / 60_000)}m`
  return `cron "${schedule.expr}"${schedule.tz ? ` ${schedule.tz}` : ''}`
}
