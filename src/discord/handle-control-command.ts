import { checkModelChoice } from '../agent/check-model-choice.js'
import { listAllowedModels, resolveEffectiveModel } from '../agent/model-ref.js'
import { CommandName } from './commands.js'
import { toConversationTarget, type ConversationTarget } from './conversation-target.js'
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
  const work = name === CommandName.model ? () => modelText(scope, target, options.name) : () => statusText(scope, target)
  return deferred(true, async () => {
    const text = await work().catch((error: unknown) => (error instanceof Error ? error.message : DELIVERY_FAILED_TEXT))
    await reply.deliver(text).catch((error) => scope.logger.warn(`could not answer /${name}: ${String(error)}`))
  })
}

async function modelText(scope: InteractionScope, target: ConversationTarget, requested: unknown): Promise<string> {
  const config = scope.deps.state.config
  const sessions = scope.services.sessions
  const override = await sessions?.getModel(target.sessionKey, target.agentId)
  const current = resolveEffectiveModel({ config, agentId: target.agentId, sessionOverride: override })
  if (typeof requested !== 'string' || requested.trim() === '') {
    const available = listAllowedModels(config).map((model) => `• \`${model.ref}\`${model.alias === undefined ? '' : ` (${model.alias})`}`)
    return [`Current model: \`${current}\``, '', 'Available:', ...available].join('\n')
  }
  // Autocomplete values are only client-validated: check the allowlist again (spec/discord.md §4).
  const choice = checkModelChoice(requested, config)
  if (!choice.ok) return choice.message
  if (sessions === undefined) return 'Switching models from Discord is not available on this gateway yet.'
  await sessions.setModel(target.sessionKey, target.agentId, choice.ref)
  return `Model set to \`${choice.ref}\` for this conversation.${choice.warning ? `\n⚠️ ${choice.warning}` : ''}`
}

async function statusText(scope: InteractionScope, target: ConversationTarget): Promise<string> {
  const { runner, sessions } = scope.services
  const config = scope.deps.state.config
  const override = await sessions?.getModel(target.sessionKey, target.agentId)
  const model = resolveEffectiveModel({ config, agentId: target.agentId, sessionOverride: override })
  const active = runner.activeRun(target.sessionKey)
  const stats = runner.stats()
  const running = active === undefined ? 'idle' : `running for ${Math.round((scope.deps.now() - active.startedAt) / 1000)} s`
  return [
    `Agent: \`${target.agentId}\` · model \`${model}\``,
    `This conversation: ${running}`,
    `Gateway: ${stats.active} run(s) active, ${stats.queued} queued · version ${scope.deps.version}`,
  ].join('\n')
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
