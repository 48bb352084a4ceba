import { modelCommandText, statusCommandText } from '../channels/session-command-texts.js'
import { CommandName } from './commands.js'
import { toConversationTarget } from './conversation-target.js'
import { DELIVERY_FAILED_TEXT, deliverRun } from './deliver-run.js'
import { evaluateAccess } from './evaluate-access.js'
import { InteractionReply } from './interaction-reply.js'
import { deferred, ephemeralMessage, type HandlerResult, type InteractionScope } from './interaction-scope.js'

/** The `/help` text: HTTP interactions have no ambient chat, so it explains the entry points. */
export const HELP_TEXT = [
  '**How to talk to me**',
  '• `/ask prompt:<text>`: ask anything (leave the prompt empty for a long one; add `private:true` to keep the reply to yourself).',
  '• Right-click a message → Apps → **Ask …**: ask about that message.',
  '• `/new [model]` or `/reset`: start over in this conversation. `/model [name]`: show or switch the model.',
  '• `/stop`: stop the reply being written. `/status`: what I am doing.',
].join('\n')

/**
 * Control commands (`/new`, `/reset`, `/model`, `/status`, `/stop`) under the native command gate; `/help` only
 * needs conversation access. State changes target the conversation's session key (spec/config-and-runtime.md §5.1).
 */
export async function handleControlCommand(scope: InteractionScope, name: string, options: Record<string, unknown>): Promise<HandlerResult> {
  const access = await evaluateAccess(scope, name === CommandName.help ? 'conversation' : 'command')
  if (!access.allowed) return ephemeralMessage(access.text)
  if (name === CommandName.help) return ephemeralMessage(HELP_TEXT)
  const { deps, services, account, context } = scope
  const target = toConversationTarget(deps.state.config, account.accountId, context, { guildName: access.guildName })
  if (name === CommandName.stop) {
    return ephemeralMessage(services.runner.abort(target.sessionKey) ? 'Stopped the current reply.' : 'Nothing is running here.')
  }
  const reply = ephemeralReply(scope)
  if (name === CommandName.new || name === CommandName.reset) {
    const model = typeof options.model === 'string' ? options.model.trim() : ''
    const text = name === CommandName.reset ? '/reset' : model === '' ? '/new' : `/new ${model}`
    return deferred(true, async () => {
      try {
        const handle = services.runner.send({ agentId: target.agentId, sessionKey: target.sessionKey, text, channel: 'discord', chatType: target.chatType, sessionMeta: target.sessionMeta })
        await deliverRun(handle, reply, { now: deps.now, schedule: services.discord.schedule, editIntervalMs: services.discord.editIntervalMs, logger: scope.logger })
      } catch (error) {
        scope.logger.error(`[${account.accountId}] ${name} failed: ${error instanceof Error ? error.message : String(error)}`)
        await reply.editOriginal(DELIVERY_FAILED_TEXT).catch(() => undefined)
      }
    })
  }
  const commandContext = { deps, runner: services.runner, sessions: services.sessions, channelLabel: 'Discord' }
  const work = name === CommandName.model ? () => modelCommandText(commandContext, target, options.name) : () => statusCommandText(commandContext, target)
  return deferred(true, async () => {
    const text = await work().catch((error: unknown) => (error instanceof Error ? error.message : DELIVERY_FAILED_TEXT))
    await reply.deliver(text).catch((error) => scope.logger.warn(`could not answer /${name}: ${String(error)}`))
  })
}

function ephemeralReply(scope: InteractionScope): InteractionReply {
  const { account, interaction, context, deps } = scope
  return new InteractionReply(
    {
      rest: account.rest,
      applicationId: interaction.application_id,
      token: interaction.token ?? '',
      channelId: context.channel.id,
      receivedAt: scope.receivedAt,
      ephemeral: true,
      userInstallOnly: context.userInstallOnly,
    },
    { now: deps.now, logger: scope.logger },
  )
}
