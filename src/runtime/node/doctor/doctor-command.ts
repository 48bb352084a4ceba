import { loadConfig } from '../../../config/load-config.js'
import { createNodeConfigIo, displayPath, resolveNodePaths } from '../node-config-io.js'
import type { DoctorFinding } from './doctor-check.js'
import { DOCTOR_CHECKS } from './doctor-checks.js'

const MARK: Record<DoctorFinding['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' }

/**
 * `doctor [--fix]`: runs every check against the config and state dir the gateway would use and prints one line per
 * finding. Exit 0 when nothing failed, 1 otherwise; `--fix` repairs what can be repaired (legacy keys), with a backup.
 */
export async function runDoctorCommand(command: { fix: boolean; json: boolean }): Promise<number> {
  const paths = resolveNodePaths()
  const io = createNodeConfigIo()
  io.env = { ...io.env }
  const loaded = await loadConfig(paths.configPath, io)
  const context = { stateDir: paths.stateDir, configPath: paths.configPath, loaded, env: io.env, fetch: globalThis.fetch.bind(globalThis), fix: command.fix }
  const findings: DoctorFinding[] = []
  for (const check of DOCTOR_CHECKS) {
    try {
      findings.push(...(await check(context)))
    } catch (error) {
      // One broken check must not hide the others' answers.
      findings.push({ check: check.name || 'check', status: 'fail', message: `could not run: ${error instanceof Error ? error.message : String(error)}` })
    }
  }
  const failed = findings.filter((finding) => finding.status === 'fail').length
  const warned = findings.filter((finding) => finding.status === 'warn').length
  if (command.json) {
    process.stdout.write(`${JSON.stringify({ ok: failed === 0, stateDir: paths.stateDir, configPath: paths.configPath, findings }, null, 2)}\n`)
  } else {
    const lines = [`State dir: ${displayPath(paths.stateDir)}`, ...findings.map((finding) => `[${MARK[finding.status]}] ${finding.check}: ${finding.message}`)]
    lines.push('', failed === 0 ? `All good${warned > 0 ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}.` : `${failed} problem${failed === 1 ? '' : 's'} found${warned > 0 ? `, ${warned} warning${warned === 1 ? '' : 's'}` : ''}.`)
    process.stdout.write(`${lines.join('\n')}\n`)
  }
  return failed === 0 ? 0 : 1
}
