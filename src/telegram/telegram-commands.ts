import { customCommandProblem } from '../config/schema-telegram.js'
import type { TelegramSettings } from './resolve-telegram-account.js'

/** One Bot API command menu entry. */
export interface BotCommand {
  command: string
  description: string
}

/** The native commands this gateway answers, with upstream's descriptions (spec/telegram.md §4.6). */
export const NATIVE_COMMANDS: readonly BotCommand[] = [
  { command: 'help', description: 'Show available commands.' },
  { command: 'status', description: 'Show current status.' },
  { command: 'new', description: 'Start a new session.' },
  { command: 'reset', description: 'Reset the current session.' },
  { command: 'model', description: 'Show or set the model.' },
  { command: 'stop', description: 'Stop the current run.' },
  { command: 'activation', description: 'Set group activation (mention|always).' },
]

const MAX_COMMANDS = 100

/**
 * The menu `setMyCommands` gets: native commands when `commands.native` resolves on, then the valid custom commands
 * (invalid, conflicting and duplicated ones are reported and skipped), capped at Telegram's 100.
 */
export function buildCommandMenu(settings: TelegramSettings, globalNative: boolean | 'auto' | undefined): { commands: BotCommand[]; problems: string[] } {
  const native = settings.commands?.native ?? globalNative ?? 'auto'
  if (native === false) return { commands: [], problems: [] }
  const commands = [...NATIVE_COMMANDS]
  const problems: string[] = []
  const nativeNames = new Set(commands.map((entry) => entry.command))
  const seen = new Set<string>()
  for (const custom of settings.customCommands ?? []) {
    const problem = customCommandProblem(custom, seen, nativeNames)
    if (problem !== undefined) {
      problems.push(problem.message)
      continue
    }
    const name = custom.command.trim().replace(/^\//, '').toLowerCase()
    seen.add(name)
    commands.push({ command: name, description: custom.description.trim().slice(0, 256) })
  }
  return { commands: commands.slice(0, MAX_COMMANDS), problems }
}

/** A stable fingerprint of a menu, so an unchanged set is not sent again (crash loops hit 429s upstream). */
export async function commandMenuHash(commands: readonly BotCommand[]): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(commands))))
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
