import { CommandKind, IntegrationKind, InteractionContextKind, OptionKind } from './discord-api.js'

/** One application command as sent in the bulk overwrite (`PUT /applications/{id}/commands`). */
export interface CommandDefinition {
  name: string
  type: number
  description?: string
  options?: Array<{
    name: string
    description: string
    type: number
    required?: boolean
    autocomplete?: boolean
    max_length?: number
  }>
  contexts?: number[]
  integration_types?: number[]
}

/** Names of the commands this channel handles. */
export const CommandName = {
  ask: 'ask',
  new: 'new',
  reset: 'reset',
  model: 'model',
  status: 'status',
  stop: 'stop',
  help: 'help',
} as const

/** Discord's limit for command names (context-menu names may contain spaces and capitals). */
const MAX_COMMAND_NAME_LENGTH = 32
const EVERYWHERE = {
  contexts: [InteractionContextKind.guild, InteractionContextKind.botDm, InteractionContextKind.privateChannel],
  integration_types: [IntegrationKind.guildInstall, IntegrationKind.userInstall],
}

/** The message context-menu command's name: "Ask <bot name>", cut to Discord's 32 characters. */
export function askMenuName(botName: string | undefined): string {
  const name = `Ask ${botName?.trim() || 'assistant'}`
  return name.slice(0, MAX_COMMAND_NAME_LENGTH).trim()
}

/**
 * The command set registered with one bulk overwrite: conversation entry points (`/ask`, "Ask <bot>") and the
 * control commands. `native:false` registers nothing (an empty PUT removes stale commands).
 * @see spec/discord.md §5
 */
export function defineCommands(options: { botName?: string; native: boolean }): CommandDefinition[] {
  if (!options.native) return []
  const modelOption = (description: string) => ({
    name: 'model',
    description,
    type: OptionKind.string,
    autocomplete: true,
  })
  return [
    {
      name: CommandName.ask,
      type: CommandKind.chatInput,
      description: 'Ask the assistant; leave the prompt empty to write a long one',
      options: [
        { name: 'prompt', description: 'What to ask', type: OptionKind.string, max_length: 6000 },
        { name: 'file', description: 'An image for the assistant to look at', type: OptionKind.attachment },
        { name: 'private', description: 'Only you see the reply', type: OptionKind.boolean },
      ],
      ...EVERYWHERE,
    },
    { name: askMenuName(options.botName), type: CommandKind.message, ...EVERYWHERE },
    {
      name: CommandName.new,
      type: CommandKind.chatInput,
      description: 'Start a new conversation here',
      options: [modelOption('Model for the new conversation')],
      ...EVERYWHERE,
    },
    { name: CommandName.reset, type: CommandKind.chatInput, description: 'Reset the conversation here', ...EVERYWHERE },
    {
      name: CommandName.model,
      type: CommandKind.chatInput,
      description: 'Show or change the model of this conversation',
      options: [{ ...modelOption('Model to switch to'), name: 'name' }],
      ...EVERYWHERE,
    },
    { name: CommandName.status, type: CommandKind.chatInput, description: 'Show the assistant status', ...EVERYWHERE },
    { name: CommandName.stop, type: CommandKind.chatInput, description: 'Stop the reply being written here', ...EVERYWHERE },
    { name: CommandName.help, type: CommandKind.chatInput, description: 'How to talk to the assistant', ...EVERYWHERE },
  ]
}

/** Guild-scoped copies: guild commands may not carry `contexts` or `integration_types`. */
export function toGuildCommands(commands: CommandDefinition[]): CommandDefinition[] {
  return commands.map(({ contexts: _contexts, integration_types: _types, ...rest }) => rest)
}
