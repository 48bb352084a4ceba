import { parseCliArgs } from '../../cli/parse-cli-args.js'
import { CliError } from '../../cli/cli-error.js'
import { usage } from '../../cli/usage.js'
import { VERSION } from '../../version.js'
import { runGatewayCommand } from './gateway-command.js'
import { runConfigValidateCommand } from './config-validate-command.js'
import { runHealthCommand } from './health-command.js'
import { runPairingApproveCommand } from './pairing-command.js'
import { runDoctorCommand } from './doctor/doctor-command.js'
import { runCronCommand } from './cron-command.js'

/**
 * Runs one CLI invocation. Returns the exit code for commands that finish; the gateway returns `undefined` and
 * keeps the process alive on its listeners. Every refusal is printed here, on stderr.
 */
export async function runCli(argv: readonly string[]): Promise<number | undefined> {
  let topic: Parameters<typeof usage>[0]
  try {
    const command = parseCliArgs(argv)
    switch (command.kind) {
      case 'help':
        process.stdout.write(`${usage(command.topic)}\n`)
        return 0
      case 'version':
        process.stdout.write(`${VERSION}\n`)
        return 0
      case 'gateway':
        topic = 'gateway'
        await runGatewayCommand(command.options)
        return undefined
      case 'config-validate':
        topic = 'config'
        return await runConfigValidateCommand(command)
      case 'health':
        topic = 'health'
        return await runHealthCommand(command)
      case 'pairing-approve':
        topic = 'pairing'
        return await runPairingApproveCommand(command)
      case 'doctor':
        topic = 'doctor'
        return await runDoctorCommand(command)
      case 'cron':
        topic = 'cron'
        return await runCronCommand(command)
    }
  } catch (error) {
    if (!(error instanceof CliError)) throw error
    process.stderr.write(`${error.lines.join('\n')}\n`)
    if (error.showUsage) process.stderr.write(`\n${usage(topic ?? topicOf(argv))}\n`)
    return error.exitCode
  }
}

function topicOf(argv: readonly string[]): Parameters<typeof usage>[0] {
  const command = argv.find((arg) => !arg.startsWith('-'))
  return command === 'gateway' || command === 'config' || command === 'health' || command === 'pairing' || command === 'doctor' || command === 'cron' ? command : undefined
}
