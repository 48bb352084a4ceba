import type { CliCommand } from '../../cli/parse-cli-args.js'
import { loadConfig } from '../../config/load-config.js'
import { createNodeConfigIo, resolveNodePaths } from './node-config-io.js'
import { resolveGatewayPort } from './gateway-settings.js'
import { formatHealthReport } from './format-health-report.js'

/**
 * `health`: probes a running gateway. With a token (flag, config or env) it reads the full `/api/health` report,
 * otherwise the public `/health`. Exit 0 only when the gateway answers and reports ok.
 */
export async function runHealthCommand(command: Extract<CliCommand, { kind: 'health' }>): Promise<number> {
  const io = createNodeConfigIo()
  io.env = { ...io.env }
  // A broken config must not stop a health probe; fall back to defaults for the port and the secret.
  const loaded = await loadConfig(resolveNodePaths().configPath, io)
  const gateway = loaded.ok ? loaded.config.gateway : undefined
  const port = resolveGatewayPort({}, loaded.ok ? loaded.config : undefined, io.env)
  const base = (command.url ?? `http://127.0.0.1:${port}`).replace(/\/+$/, '')
  const secret =
    command.token ?? command.password ?? gateway?.auth?.token ?? gateway?.auth?.password ??
    io.env.CLAWDBOT_GATEWAY_TOKEN ?? io.env.CLAWDBOT_GATEWAY_PASSWORD
  const url = `${base}${secret ? '/api/health' : '/health'}`

  let response: Response
  try {
    response = await fetch(url, {
      headers: secret ? { authorization: `Bearer ${secret}` } : {},
      signal: AbortSignal.timeout(command.timeoutMs),
    })
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${command.timeoutMs} ms` : describe(error)
    return fail(command.json, url, `Gateway unreachable at ${base}: ${reason}`)
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined
  if (response.status === 401) {
    return fail(command.json, url, `Gateway at ${base} refused the token (401). Pass --token or set CLAWDBOT_GATEWAY_TOKEN to the gateway's token.`, body)
  }
  if (!response.ok || body?.ok !== true) {
    const reason = typeof body?.reason === 'string' ? body.reason : `HTTP ${response.status}`
    return fail(command.json, url, `Gateway at ${base} is unhealthy: ${reason}`, body)
  }
  if (command.json) {
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`)
  } else {
    process.stdout.write(`${formatHealthReport(base, body, Date.now()).join('\n')}\n`)
  }
  return 0
}

function fail(json: boolean, url: string, message: string, body?: unknown): number {
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, url, error: message, ...(body ? { response: body } : {}) }, null, 2)}\n`)
  else process.stderr.write(`${message}\n`)
  return 1
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? error.message
}
