import type { Storage } from 'unstorage'
import { z } from 'zod'
import type { Logger } from '../logging/logger.js'
import { discordStateKey } from '../storage/keys.js'
import { toGuildCommands, type CommandDefinition } from './commands.js'
import type { DiscordRest } from './discord-rest.js'

const StateSchema = z.looseObject({
  version: z.literal(1),
  applicationId: z.string().optional(),
  commandsHash: z.string().optional(),
  commandsCount: z.number().optional(),
  registeredAt: z.number().optional(),
})

/** What registration needs; `guildIds` switches to guild-scoped commands (instant updates, for a dev guild). */
export interface RegisterCommandsInput {
  rest: DiscordRest
  storage: Storage
  logger: Logger
  accountId: string
  applicationId: string
  commands: CommandDefinition[]
  guildIds?: string[]
  now: number
}

/**
 * Registers the command set with one bulk overwrite per scope, skipped when the stored hash of the set is unchanged:
 * every new name counts against Discord's 200 creates per day, and startup PUTs have timed out upstream (#80437).
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 */
export async function registerCommands(input: RegisterCommandsInput): Promise<{ count: number; skipped: boolean }> {
  const guildIds = [...new Set(input.guildIds ?? [])].sort()
  const hash = await sha256Hex(JSON.stringify({ applicationId: input.applicationId, commands: input.commands, guildIds }))
  const key = discordStateKey(input.accountId)
  const stored = StateSchema.safeParse(await input.storage.getItem(key))
  if (stored.success && stored.data.commandsHash === hash) {
    input.logger.debug(`[${input.accountId}] commands unchanged; skipping registration`)
    return { count: input.commands.length, skipped: true }
  }
  if (guildIds.length === 0) {
    await input.rest.request('PUT', `/applications/${input.applicationId}/commands`, { body: input.commands })
  } else {
    const guildCommands = toGuildCommands(input.commands)
    for (const guildId of guildIds) {
      await input.rest.request('PUT', `/applications/${input.applicationId}/guilds/${guildId}/commands`, { body: guildCommands })
    }
  }
  const previous = stored.success ? stored.data : {}
  await input.storage.setItem(key, {
    ...previous,
    version: 1,
    applicationId: input.applicationId,
    commandsHash: hash,
    commandsCount: input.commands.length,
    registeredAt: input.now,
  })
  const scope = guildIds.length === 0 ? 'globally' : `in ${guildIds.length} guild(s)`
  input.logger.info(`[${input.accountId}] registered ${input.commands.length} commands ${scope}`)
  return { count: input.commands.length, skipped: false }
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')
}
