import { toConversationTarget } from './conversation-target.js'
import { DELIVERY_FAILED_TEXT, deliverRun } from './deliver-run.js'
import { ComponentKind, ResponseKind } from './discord-api.js'
import { evaluateAccess } from './evaluate-access.js'
import { DEFAULT_MEDIA_MAX_MB, fetchImages } from './fetch-images.js'
import { toSenderLabel } from './interaction-context.js'
import { InteractionReply } from './interaction-reply.js'
import type { InteractionAttachment } from './interaction-schema.js'
import { deferred, ephemeralMessage, type HandlerResult, type InteractionScope } from './interaction-scope.js'

/** custom_id of the long-prompt modal; `:private` keeps the `/ask private:true` choice across the round trip. */
export const ASK_MODAL_ID = 'ask-modal'
/** custom_id prefix of the Stop button; the rest is the interaction id of the streaming reply. */
export const STOP_BUTTON_PREFIX = 'stop:'
const PROMPT_INPUT_ID = 'prompt'
const MAX_MODAL_TITLE = 45

/** A conversation turn requested through `/ask`, its modal, or the "Ask <bot>" message command. */
export interface AskRequest {
  prompt: string | undefined
  attachments: InteractionAttachment[]
  private: boolean
  /** `/ask` with neither prompt nor file opens the modal instead of running. */
  allowModal: boolean
}

/**
 * Answers an ask: access under message semantics (spec/discord.md §6.3), an immediate deferred ack, then in the
 * background the image downloads, `runner.send` and the streamed delivery with a Stop button.
 */
export async function handleAsk(scope: InteractionScope, request: AskRequest): Promise<HandlerResult> {
  const access = await evaluateAccess(scope, 'conversation')
  if (!access.allowed) return ephemeralMessage(access.text)
  const prompt = request.prompt?.trim() ?? ''
  if (prompt === '' && request.attachments.length === 0) {
    if (request.allowModal) return askModal(scope, request.private)
    return ephemeralMessage('There is nothing to ask about: the prompt is empty.')
  }
  const { deps, services, context, interaction, account } = scope
  const target = toConversationTarget(deps.state.config, account.accountId, context, { guildName: access.guildName })
  const channelEntry = access.decision.channelEntry
  const resolved = account.settings()
  return deferred(request.private, async () => {
    const maxBytes = (resolved.settings.mediaMaxMb ?? DEFAULT_MEDIA_MAX_MB) * 1024 * 1024
    const { images, skipped } = await fetchImages(deps.fetch, request.attachments, maxBytes)
    const note = skipped.length > 0 ? `\n\n[Attachments not included: ${skipped.join(', ')}]` : ''
    const reply = new InteractionReply(
      {
        rest: account.rest,
        applicationId: interaction.application_id,
        token: interaction.token ?? '',
        channelId: context.channel.id,
        receivedAt: scope.receivedAt,
        ephemeral: request.private,
        userInstallOnly: context.userInstallOnly,
      },
      { now: deps.now, logger: scope.logger, limits: { maxChars: resolved.settings.textChunkLimit, maxLines: resolved.settings.maxLinesPerMessage } },
    )
    scope.activeReplies.set(interaction.id, { sessionKey: target.sessionKey, ownerId: context.user.id })
    // A reply the gateway cannot finish (restart, evicted object) is turned into "please ask again" on the next start.
    const forget = await services.discord.replies
      .track(account.accountId, interaction.id, { applicationId: interaction.application_id, token: interaction.token ?? '' })
      .catch((error: unknown) => {
        scope.logger.warn(`[${account.accountId}] could not record the reply in progress: ${String(error)}`)
        return async () => {}
      })
    try {
      const handle = services.runner.send({
        agentId: target.agentId,
        sessionKey: target.sessionKey,
        text: `${prompt}${note}`.trim(),
        images: images.length > 0 ? images : undefined,
        channel: 'discord',
        chatType: target.chatType,
        groupChat: context.kind === 'guild' ? { topic: context.channel.topic, systemPrompt: channelEntry?.systemPrompt } : undefined,
        senderLabel: toSenderLabel(context),
        sessionMeta: target.sessionMeta,
      })
      await deliverRun(handle, reply, {
        now: deps.now,
        schedule: services.discord.schedule,
        editIntervalMs: services.discord.editIntervalMs,
        logger: scope.logger,
        stopButtonId: `${STOP_BUTTON_PREFIX}${interaction.id}`,
      })
    } catch (error) {
      // runner.send rejected the message (e.g. a bad agent id): the user still gets an answer, not "thinking…".
      scope.logger.error(`[${account.accountId}] could not start a run: ${error instanceof Error ? error.message : String(error)}`)
      await reply.editOriginal(DELIVERY_FAILED_TEXT).catch(() => undefined)
    } finally {
      scope.activeReplies.delete(interaction.id)
      await forget().catch(() => undefined)
    }
  })
}

/** Reads the prompt typed into the ask modal (action-row or label layouts). */
export function promptFromModal(components: unknown[] | undefined): string | undefined {
  const stack = [...(components ?? [])]
  while (stack.length > 0) {
    const item = stack.pop() as { custom_id?: unknown; value?: unknown; components?: unknown[]; component?: unknown }
    if (item === null || typeof item !== 'object') continue
    if (item.custom_id === PROMPT_INPUT_ID && typeof item.value === 'string') return item.value
    if (Array.isArray(item.components)) stack.push(...item.components)
    if (item.component !== undefined) stack.push(item.component)
  }
  return undefined
}

function askModal(scope: InteractionScope, isPrivate: boolean): HandlerResult {
  const title = `Ask ${scope.account.botName() ?? 'the assistant'}`.slice(0, MAX_MODAL_TITLE)
  const input = { type: ComponentKind.textInput, custom_id: PROMPT_INPUT_ID, label: 'Prompt', style: 2, min_length: 1, max_length: 4000, required: true }
  return {
    body: {
      type: ResponseKind.modal,
      data: {
        custom_id: isPrivate ? `${ASK_MODAL_ID}:private` : ASK_MODAL_ID,
        title,
        components: [{ type: ComponentKind.actionRow, components: [input] }],
      },
    },
  }
}
