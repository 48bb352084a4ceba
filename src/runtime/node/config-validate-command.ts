import { resolve } from 'node:path'
import type { CliCommand } from '../../cli/parse-cli-args.js'
import { loadConfig } from '../../config/load-config.js'
import { formatConfigInvalid, formatIssue } from '../../config/format-config-issues.js'
import { createNodeConfigIo, displayPath, resolveNodePaths } from './node-config-io.js'

/**
 * `config validate`: checks the config the gateway would read (or `--path`) and prints every problem in upstream's
 * format. Legacy keys count as problems here, as in upstream's CLI, although the gateway migrates them on start.
 */
export async function runConfigValidateCommand(command: Extract<CliCommand, { kind: 'config-validate' }>): Promise<number> {
  const path = command.path ? resolve(command.path) : resolveNodePaths().configPath
  const io = createNodeConfigIo()
  // Validation must not leak config `env` values into this process's output or environment of later commands.
  io.env = { ...io.env }
  const result = await loadConfig(path, io)
  const shown = displayPath(path)
  if (command.path && !result.exists) {
    return report(command.json, { valid: false, path, issues: [{ path: '<root>', message: 'file not found' }] }, `Config file not found: ${shown}`, 1)
  }
  if (!result.ok || result.legacy.length > 0) {
    const issues = result.ok ? [] : result.issues
    return report(command.json, { valid: false, path, issues, legacy: result.legacy }, formatConfigInvalid({ issues, legacy: result.legacy }, shown), 1)
  }
  if (!result.exists) {
    return report(command.json, { valid: true, path, exists: false, warnings: [] }, `No config file at ${shown}; the gateway runs on built-in defaults.`, 0)
  }
  const lines = [`Config valid: ${shown}`, ...result.warnings.map((warning) => formatIssue({ path: 'warning', message: warning }))]
  return report(command.json, { valid: true, path, exists: true, warnings: result.warnings }, lines.join('\n'), 0)
}

function report(json: boolean, data: object, text: string, exitCode: number): number {
  const output = json ? JSON.stringify(data, null, 2) : text
  if (exitCode === 0 || json) process.stdout.write(`${output}\n`)
  else process.stderr.write(`${output}\n`)
  return exitCode
}
