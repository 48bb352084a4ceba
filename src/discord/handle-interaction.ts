import { CommandName } from './commands.js'
import { CommandKind, InteractionKind } from './discord-api.js'
import { ASK_MODAL_ID, handleAsk, promptFromModal } from './handle-ask.js'
import { handleControlCommand } from './handle-control-command.js'
import { handleAutocomplete, handleComponent } from './handle-small-interactions.js'
import type { CommandOption, InteractionAttachment } from './interaction-schema.js'
import { ephemeralMessage, type HandlerResult, type InteractionScope } from './interaction-scope.js'

const CONTROL_COMMANDS: ReadonlySet<string> = new Set([
  CommandName.new,
  CommandName.reset,
  CommandName.model,
  CommandName.status,
  CommandName.stop,
  CommandName.help,
])

/**
 * Routes a verified, non-PING interaction to its handler by type and command name. Unknown commands (e.g. left
 * over from an older registration) get an ephemeral note instead of "The application did not respond".
 */
export async function handleInteraction(scope: InteractionScope): Promise<HandlerResult> {
  const { interaction } = scope
  const data = interaction.data
  const options = data?.options ?? []
  switch (interaction.type) {
    case InteractionKind.autocomplete:
      return handleAutocomplete(scope, options)
    case InteractionKind.component:
      return handleComponent(scope, data?.custom_id ?? '')
    case InteractionKind.modalSubmit: {
      const customId = data?.custom_id ?? ''
      if (customId !== ASK_MODAL_ID && customId !== `${ASK_MODAL_ID}:private`) return ephemeralMessage('This form is no longer active.')
      const prompt = promptFromModal(data?.components)
      return handleAsk(scope, { prompt, attachments: [], private: customId.endsWith(':private'), allowModal: false })
    }
    case InteractionKind.command:
      break
    default:
      return ephemeralMessage('This interaction type is not supported.')
  }
  if (data?.type === CommandKind.message) return askAboutMessage(scope)
  const name = data?.name ?? ''
  const values = Object.fromEntries(options.map((option: CommandOption) => [option.name, option.value]))
  if (name === CommandName.ask) {
    const fileId = typeof values.file === 'string' ? values.file : undefined
    const file = fileId === undefined ? undefined : data?.resolved?.attachments?.[fileId]
    return handleAsk(scope, {
      prompt: typeof values.prompt === 'string' ? values.prompt : undefined,
      attachments: file === undefined ? [] : [file],
      private: values.private === true,
      allowModal: true,
    })
  }
  if (CONTROL_COMMANDS.has(name)) return handleControlCommand(scope, name, values)
  return ephemeralMessage('This command is not available anymore.')
}

/** "Ask <bot>": the target message (content included without the privileged intent) becomes the prompt. */
function askAboutMessage(scope: InteractionScope): Promise<HandlerResult> {
  const data = scope.interaction.data
  const message = data?.target_id === undefined ? undefined : data.resolved?.messages?.[data.target_id]
  const author = message?.author?.global_name ?? message?.author?.username ?? 'someone'
  const content = message?.content?.trim() ?? ''
  const attachments: InteractionAttachment[] = message?.attachments ?? []
  const prompt = content === '' ? (attachments.length > 0 ? `About this image from ${author}:` : '') : `About this message from ${author}:\n\n${content}`
  return handleAsk(scope, { prompt, attachments, private: false, allowModal: false })
}
