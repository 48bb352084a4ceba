import type { CliCommand } from '../../cli/parse-cli-args.js'
import { approvePairing } from '../../channels/pairing-store.js'
import { loadConfig } from '../../config/load-config.js'
import { notifyPairingApproved } from '../../telegram/notify-pairing-approved.js'
import { createNodeConfigIo, resolveNodePaths } from './node-config-io.js'
import { createNodeStorage } from './node-storage.js'

const LABEL = { discord: 'Discord', telegram: 'Telegram' } as const

/**
 * `pairing approve <discord|telegram> <code>`: writes the approval into the state dir, where a running gateway reads
 * it on the user's next message (no restart, no running gateway needed). A Telegram user is also sent upstream's
 * approval text with the default account's bot token.
 */
export async function runPairingApproveCommand(command: Extract<CliCommand, { kind: 'pairing-approve' }>): Promise<number> {
  const paths = resolveNodePaths()
  const storage = createNodeStorage(paths.stateDir)
  const label = LABEL[command.channel]
  const result = await approvePairing(storage, command.code, Date.now(), command.channel)
  if (!result.ok) {
    process.stderr.write(
      `No pending ${label} pairing request with code ${command.code}. Codes expire after an hour: ask the user to message the bot again for a new one.\n`,
    )
    return 1
  }
  process.stdout.write(`Approved ${label} user ${result.userId}; they can message the bot now.\n`)
  if (command.channel === 'telegram') {
    const io = createNodeConfigIo()
    const loaded = await loadConfig(paths.configPath, io)
    if (!loaded.ok) {
      process.stderr.write('The config file is invalid, so the user was not notified; run `config validate`.\n')
      return 0
    }
    const sleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds))
    const notice = await notifyPairingApproved({ config: loaded.config, env: process.env, readText: io.readText, fetch: globalThis.fetch, sleep }, result.userId)
    if (!notice.ok) process.stderr.write(`Could not tell the user: ${notice.error}\n`)
  }
  return 0
}
