import type { CliCommand } from '../../cli/parse-cli-args.js'
import { approvePairing } from '../../channels/pairing-store.js'
import { createNodeStorage } from './node-storage.js'
import { resolveNodePaths } from './node-config-io.js'

/**
 * `pairing approve discord <code>`: writes the approval into the state dir, where a running gateway reads it on the
 * user's next message (no restart, no running gateway needed).
 */
export async function runPairingApproveCommand(command: Extract<CliCommand, { kind: 'pairing-approve' }>): Promise<number> {
  const storage = createNodeStorage(resolveNodePaths().stateDir)
  const result = await approvePairing(storage, command.code, Date.now())
  if (!result.ok) {
    process.stderr.write(
      `No pending Discord pairing request with code ${command.code}. Codes expire after an hour: ask the user to message the bot again for a new one.\n`,
    )
    return 1
  }
  process.stdout.write(`Approved Discord user ${result.userId}; they can message the bot now.\n`)
  return 0
}
