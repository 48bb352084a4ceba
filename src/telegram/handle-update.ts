import type { AgentRunner, RunOutcome } from '../agent/agent-runner.js'
import { pairingReply, readPairedUserIds, upsertPairingRequest } from '../channels/pairing-store.js'
import { modelCommandText, statusCommandText, type SessionModelControl } from '../channels/session-command-texts.js'
import { toBase64 } from '../channels/to-base64.js'
import type { AppDeps } from '../deps.js'
import type { Logger } from '../logging/logger.js'
import { checkDm, checkGroup, isCommandAuthorized, isOwner, nativeRefusalText, NATIVE_REFUSAL_TEXT, type GroupAccess } from './access-policy.js'
import { DraftStreamer } from './draft-streamer.js'
import { ABORT_WORDS, isMentioned, parseCommand, toInboundMessage, type InboundMessage } from './inbound-message.js'
import { migrateGroupConfig } from './migrate-group-config.js'
import type { SessionActivationControl } from './session-activation-control.js'
import { sendTelegramText } from './send-telegram-text.js'
import type { TelegramAccount, TelegramAccountSettings } from './telegram-account.js'
import type { TelegramApi } from './telegram-api.js'
import type { TelegramChannel } from './telegram-channel.js'
import { NATIVE_COMMANDS } from './telegram-commands.js'
import { toTelegramTarget, type TelegramTarget } from './telegram-target.js'
import { TELEGRAM_TEXT_LIMIT } from './to-telegram-chunks.js'
import type { TelegramMessage, TelegramUpdate } from './update-schema.js'

/** What the webhook route hands to the update pipeline. */
export interface TelegramServices {
  runner: AgentRunner
  telegram: TelegramChannel
  sessions?: SessionModelControl
  /** `/activation` per group session; without it groups follow the config only. */
  activation?: SessionActivationControl
}

/** Everything one update is handled with. */
export interface UpdateScope {
  deps: AppDeps
  services: TelegramServices
  account: TelegramAccount
  settings: TelegramAccountSettings
  logger: Logger
  /** Unmentioned group lines kept as context for the next mentioned message, per conversation. */
  histories: Map<string, string[]>
}

/** The `/help` text: what this bot answers to. */
export const HELP_TEXT = [
  'Send me a message and I will answer. In groups, mention me or reply to one of my messages.',
  '/new or /reset: start over in this conversation. /model [name]: show or switch the model.',
  '/stop: stop the reply being written. /status: what I am doing.',
].join('\n')

const DEFAULT_MEDIA_MAX_MB = 5
const MAX_TEXT_DOCUMENT_BYTES = 64 * 1024
const NATIVE_NAMES = new Set(NATIVE_COMMANDS.map((entry) => entry.command))

/**
 * Handles one deduplicated update after the webhook answered: a button click is acknowledged first and becomes a
 * message; a message goes through access (pairing, group rules, mentions), native commands, or a model turn whose
 * reply is streamed as drafts (where supported) and sent as HTML chunks.
 * @see spec/telegram.md §2, §4, §5
 */
export async function handleUpdate(scope: UpdateScope, update: TelegramUpdate): Promise<void> {
  const botId = scope.account.identity()?.id
  if (update.callback_query !== undefined) {
    const query = update.callback_query
    const api = await scope.account.api()
    await api.call('answerCallbackQuery', { callback_query_id: query.id }).catch(() => undefined)
    if (query.data === undefined || query.message === undefined) return
    const inbound = toInboundMessage({ ...query.message, text: query.data, caption: undefined, entities: [], reply_to_message: undefined }, query.from, botId)
    if (inbound === undefined || !buttonsAllowed(scope.settings, inbound.kind)) return
    return handleMessage(scope, inbound, { forcedMention: true })
  }
  const message = update.message
  if (message === undefined) return
  if (message.migrate_to_chat_id !== undefined) {
    scope.logger.info(`Group migrated: "${message.chat.title ?? ''}" ${message.chat.id} → ${message.migrate_to_chat_id}`)
    await migrateGroupConfig(scope.deps, scope.logger, String(message.chat.id), String(message.migrate_to_chat_id), scope.settings.settings.configWrites !== false)
    return
  }
  const inbound = toInboundMessage(message, message.from, botId)
  if (inbound === undefined || inbound.sender.isBot || (inbound.body === '' && inbound.photoFileIds.length === 0)) return
  await handleMessage(scope, inbound, { forcedMention: false, raw: message })
}

/** The conversation an update belongs to, for per-conversation ordering; control commands get their own lane. */
export function conversationKey(update: TelegramUpdate, botUsername: string | undefined): string | undefined {
  const message = update.message ?? update.callback_query?.message
  if (message === undefined) return undefined
  const thread = message.chat.is_forum === true ? `:topic:${message.message_thread_id ?? 1}` : ''
  const text = update.message?.text?.trim() ?? ''
  const command = parseCommand(text, botUsername)
  const control = command?.name === 'stop' || ABORT_WORDS.has(text.toLowerCase())
  return `telegram:${message.chat.id}${thread}${control ? ':control' : ''}`
}

async function handleMessage(scope: UpdateScope, inbound: InboundMessage, options: { forcedMention: boolean; raw?: TelegramMessage }): Promise<void> {
  const { deps, account, settings, logger } = scope
  const api = await account.api()
  const paired = await readPairedUserIds(deps.storage, 'telegram')
  const useAccessGroups = deps.state.config.commands?.useAccessGroups !== false
  const identity = account.identity()
  const command = parseCommand(inbound.rawText, identity?.username)
  const abortWord = ABORT_WORDS.has(inbound.rawText.trim().toLowerCase())
  const native = command !== undefined && NATIVE_NAMES.has(command.name) ? command : abortWord ? { name: 'stop', args: '' } : undefined
  const reply = (text: string) => sendTelegramText(api, { chatId: inbound.chatId, threadId: inbound.threadId }, text, settings.settings, logger).then(() => account.recordOutbound(deps.now()))
  // Access texts go out as upstream sends them: plain text, so `<code>` stays literal.
  const replyPlain = async (text: string) => {
    const params: Record<string, unknown> = { chat_id: inbound.chatId, text }
    if (inbound.threadId !== undefined && inbound.threadId !== '1') params.message_thread_id = Number(inbound.threadId)
    await api.call('sendMessage', params)
    account.recordOutbound(deps.now())
  }

  let groupAccess: GroupAccess | undefined
  let mentioned = false
  if (inbound.kind === 'dm') {
    // Native commands skip dmPolicy and check owners instead (upstream quirk, kept).
    if (native !== undefined) {
      if (!isOwner(settings, inbound.sender, paired, useAccessGroups)) return replyPlain(NATIVE_REFUSAL_TEXT.notAuthorized)
    } else {
      const access = checkDm(settings, inbound.sender, paired)
      if (!access.allowed) {
        logger.debug(`Blocked unauthorized telegram sender ${inbound.sender.id} (dmPolicy=${settings.dmPolicy})`)
        if (access.reason !== 'dm-pairing') return
        const meta = { username: options.raw?.from?.username, firstName: options.raw?.from?.first_name, lastName: options.raw?.from?.last_name }
        const pairing = await upsertPairingRequest(deps.storage, inbound.chatId, deps.now(), meta, 'telegram')
        if (pairing?.created === true) await replyPlain(pairingReply(inbound.sender.id, pairing.code, 'telegram'))
        return
      }
    }
  } else {
    const access = checkGroup(settings, { chatId: inbound.chatId, threadId: inbound.threadId }, inbound.sender, paired)
    if (!access.allowed) {
      logger.debug(`Blocked telegram group ${inbound.chatId} (${access.reason})`)
      if (native !== undefined && command !== undefined) await replyPlain(nativeRefusalText(access.reason))
      return
    }
    groupAccess = access
    if (native !== undefined) {
      if (!isOwner(settings, inbound.sender, paired, useAccessGroups) && !isCommandAuthorized(access.senderList, inbound.sender, useAccessGroups)) {
        if (command !== undefined) await replyPlain(NATIVE_REFUSAL_TEXT.notAuthorized)
        return
      }
    }
    const explicitHandle = identity?.username !== undefined && inbound.rawText.toLowerCase().includes(`@${identity.username.toLowerCase()}`)
    mentioned = options.forcedMention || (native !== undefined && !explicitHandle) || isMentioned(inbound, identity?.username, mentionPatterns(scope))
    const target = toTelegramTarget(deps.state.config, account.accountId, inbound)
    const activation = await scope.services.activation?.get(target.sessionKey, target.agentId)
    const mentionRequired = activation === undefined ? requireMention(access, settings) : activation === 'mention'
    if (mentionRequired && !mentioned) {
      remember(scope, inbound)
      return
    }
  }
  const target = toTelegramTarget(deps.state.config, account.accountId, inbound)
  if (native !== undefined) return runNativeCommand(scope, inbound, target, native, reply)
  await runTurn(scope, api, inbound, target, groupAccess, mentioned)
}

async function runNativeCommand(
  scope: UpdateScope,
  inbound: InboundMessage,
  target: TelegramTarget,
  command: { name: string; args: string },
  reply: (text: string) => Promise<void>,
): Promise<void> {
  const { services, deps } = scope
  const context = { deps, runner: services.runner, sessions: services.sessions, channelLabel: 'Telegram' }
  if (command.name === 'help') return reply(HELP_TEXT)
  if (command.name === 'stop') return reply(services.runner.abort(target.sessionKey) ? 'Stopped the current reply.' : 'Nothing is running here.')
  if (command.name === 'status') return reply(await statusCommandText(context, target))
  if (command.name === 'model') return reply(await modelCommandText(context, target, command.args))
  if (command.name === 'activation') {
    const wanted = command.args.trim().toLowerCase()
    if (inbound.kind !== 'group') return reply('Activation only applies to groups.')
    if (wanted !== 'always' && wanted !== 'mention') return reply('Usage: /activation always|mention')
    if (services.activation === undefined) return reply('Group activation cannot be changed on this gateway.')
    await services.activation.set(target.sessionKey, target.agentId, wanted)
    return reply(wanted === 'always' ? 'Group activation: always (I answer every message here).' : 'Group activation: mention (I answer when mentioned).')
  }
  // /new and /reset are the runtime's own text commands; it answers them like a turn.
  const api = await scope.account.api()
  await runTurn(scope, api, { ...inbound, body: `/${command.name}${command.args === '' ? '' : ` ${command.args}`}` }, target, undefined, true)
}

async function runTurn(
  scope: UpdateScope,
  api: TelegramApi,
  inbound: InboundMessage,
  target: TelegramTarget,
  access: GroupAccess | undefined,
  mentioned: boolean,
): Promise<void> {
  const { deps, services, account, settings, logger } = scope
  const maxMb = settings.settings.mediaMaxMb ?? DEFAULT_MEDIA_MAX_MB
  const media = await downloadMedia(api, inbound, maxMb * 1024 * 1024)
  if (media.tooLarge) {
    await sendTelegramText(api, { chatId: inbound.chatId, threadId: inbound.threadId, currentMessageId: inbound.messageId }, `[[reply_to_current]]⚠️ File too large. Maximum size is ${maxMb}MB.`, { ...settings.settings, replyToMode: 'first' }, logger)
    return
  }
  const history = scope.histories.get(historyKey(inbound)) ?? []
  scope.histories.delete(historyKey(inbound))
  let text = `${inbound.body}${media.note}`
  if (history.length > 0) text = `[Chat messages since your last reply - for context]\n${history.join('\n')}\n\n[Current message - respond to this]\n${text}`
  const typing = startTyping(scope, api, inbound)
  const draft = draftFor(scope, api, inbound)
  const ack = ackReaction(scope, inbound, mentioned)
  const react = (reaction: unknown[]) =>
    api.call('setMessageReaction', { chat_id: inbound.chatId, message_id: inbound.messageId, reaction }).catch((error: unknown) => logger.debug(`ack reaction failed: ${String(error)}`))
  if (ack !== undefined) await react([{ type: 'emoji', emoji: ack }])
  try {
    const systemPrompt = [access?.groupEntry?.systemPrompt, access?.topicEntry?.systemPrompt].filter(Boolean).join('\n\n')
    const handle = services.runner.send({
      agentId: target.agentId,
      sessionKey: target.sessionKey,
      text,
      images: media.images.length > 0 ? media.images : undefined,
      channel: 'telegram',
      chatType: target.chatType,
      groupChat: inbound.kind === 'group' ? { topic: inbound.chatTitle, systemPrompt: systemPrompt === '' ? undefined : systemPrompt } : undefined,
      senderLabel: `${inbound.sender.name}${inbound.sender.username === undefined ? '' : ` (@${inbound.sender.username})`} id:${inbound.sender.id}`,
      sessionMeta: target.sessionMeta,
    })
    const unsubscribe = draft === undefined ? () => undefined : handle.subscribe((event) => event.type === 'run-delta' && draft.update(event.text))
    let outcome: RunOutcome
    try {
      outcome = await handle.done
    } finally {
      unsubscribe()
      await draft?.finish()
    }
    if (handle.status === 'merged') return
    const answer = outcome.kind === 'completed' ? (outcome.silent ? '' : outcome.text) : outcome.kind === 'aborted' ? (outcome.text.trim() === '' ? '' : `${outcome.text}\n\n_(stopped)_`) : outcome.message
    if (answer.trim() === '') return
    typing.stop()
    await sendTelegramText(api, { chatId: inbound.chatId, threadId: inbound.threadId, currentMessageId: inbound.messageId }, answer, settings.settings, logger)
    account.recordOutbound(deps.now())
    if (ack !== undefined && deps.state.config.messages?.removeAckAfterReply === true) await react([])
  } finally {
    typing.stop()
  }
}

/** `messages.ackReaction` when `ackReactionScope` (default group-mentions) covers this message. */
function ackReaction(scope: UpdateScope, inbound: InboundMessage, mentioned: boolean): string | undefined {
  const messages = scope.deps.state.config.messages
  const emoji = messages?.ackReaction?.trim()
  if (emoji === undefined || emoji === '') return undefined
  const ackScope = messages?.ackReactionScope ?? 'group-mentions'
  const covered =
    ackScope === 'all' || (ackScope === 'direct' && inbound.kind === 'dm') || (ackScope === 'group-all' && inbound.kind === 'group') || (ackScope === 'group-mentions' && inbound.kind === 'group' && mentioned)
  return covered ? emoji : undefined
}

function startTyping(scope: UpdateScope, api: TelegramApi, inbound: InboundMessage): { stop: () => void } {
  // In forums the General topic does take message_thread_id:1 for chat actions (not for sends).
  const params: Record<string, unknown> = { chat_id: inbound.chatId, action: 'typing' }
  if (inbound.threadId !== undefined) params.message_thread_id = Number(inbound.threadId)
  const send = () => void api.call('sendChatAction', params).catch(() => undefined)
  send()
  const cancel = scope.deps.scheduler.every(scope.services.telegram.timing.typingIntervalMs, send)
  let stopped = false
  return {
    stop: () => {
      if (stopped) return
      stopped = true
      cancel()
    },
  }
}

function draftFor(scope: UpdateScope, api: TelegramApi, inbound: InboundMessage): DraftStreamer | undefined {
  const streamMode = scope.settings.settings.streamMode ?? 'partial'
  if (streamMode === 'off' || inbound.kind !== 'dm' || inbound.threadId === undefined) return undefined
  if (scope.account.identity()?.hasTopicsEnabled !== true) return undefined
  return new DraftStreamer({
    api,
    scheduler: scope.deps.scheduler,
    now: scope.deps.now,
    chatId: inbound.chatId,
    draftId: inbound.messageId,
    threadId: Number(inbound.threadId),
    intervalMs: scope.services.telegram.timing.draftIntervalMs,
    limit: Math.min(scope.settings.settings.textChunkLimit ?? TELEGRAM_TEXT_LIMIT, TELEGRAM_TEXT_LIMIT),
  })
}

async function downloadMedia(
  api: TelegramApi,
  inbound: InboundMessage,
  maxBytes: number,
): Promise<{ images: { data: string; mimeType: string }[]; note: string; tooLarge: boolean }> {
  const result = { images: [] as { data: string; mimeType: string }[], note: '', tooLarge: false }
  for (const fileId of inbound.photoFileIds) {
    const bytes = await download(api, fileId, maxBytes)
    if (bytes === 'too-large') return { ...result, tooLarge: true }
    // Telegram re-encodes every photo as JPEG.
    if (bytes !== undefined) result.images.push({ data: toBase64(bytes), mimeType: 'image/jpeg' })
    else result.note = '\n\n[Attachment could not be downloaded]'
  }
  const document = inbound.document
  if (inbound.photoFileIds.length > 0 || document === undefined || !isTextDocument(document)) return result
  if (document.size !== undefined && document.size > maxBytes) return { ...result, tooLarge: true }
  const bytes = await download(api, document.fileId, maxBytes)
  if (bytes === 'too-large') return { ...result, tooLarge: true }
  if (bytes === undefined) return { ...result, note: '\n\n[Attachment could not be downloaded]' }
  if (bytes.byteLength > MAX_TEXT_DOCUMENT_BYTES) return { ...result, note: `\n\n[File ${document.name ?? ''} is too long to include]` }
  return { ...result, note: `\n\n[File: ${document.name ?? 'document'}]\n${new TextDecoder().decode(bytes)}` }
}

/** `getFile`, then the bytes; `too-large` when the file is over the cap, undefined when it could not be fetched. */
async function download(api: TelegramApi, fileId: string, maxBytes: number): Promise<Uint8Array | 'too-large' | undefined> {
  const file = await api.call<{ file_path?: string; file_size?: number }>('getFile', { file_id: fileId }).catch(() => undefined)
  if (file?.file_path === undefined) return undefined
  if ((file.file_size ?? 0) > maxBytes) return 'too-large'
  const bytes = await api.downloadFile(file.file_path, maxBytes).catch(() => undefined)
  return bytes ?? 'too-large'
}

function isTextDocument(document: InboundMessage['document']): boolean {
  if (document === undefined) return false
  const type = document.mimeType ?? ''
  return type.startsWith('text/') || type === 'application/json' || /\.(txt|md|csv|json|log|ya?ml|ts|js|py)$/i.test(document.name ?? '')
}

function requireMention(access: GroupAccess, settings: TelegramAccountSettings): boolean {
  const groups = settings.settings.groups ?? {}
  return access.topicEntry?.requireMention ?? access.groupEntry?.requireMention ?? groups['*']?.requireMention ?? true
}

function mentionPatterns(scope: UpdateScope): RegExp[] {
  const config = scope.deps.state.config
  const sources = config.messages?.groupChat?.mentionPatterns ?? []
  const patterns: RegExp[] = []
  for (const source of sources) {
    try {
      patterns.push(new RegExp(source, 'i'))
    } catch {
      scope.logger.warn(`ignoring invalid mention pattern ${JSON.stringify(source)}`)
    }
  }
  return patterns
}

function historyKey(inbound: InboundMessage): string {
  return `${inbound.chatId}:${inbound.threadId ?? ''}`
}

function remember(scope: UpdateScope, inbound: InboundMessage): void {
  const limit = scope.settings.settings.historyLimit ?? scope.deps.state.config.messages?.groupChat?.historyLimit ?? 50
  if (limit === 0) return
  const key = historyKey(inbound)
  const lines = scope.histories.get(key) ?? []
  lines.push(`${inbound.sender.name}: ${inbound.body} [id:${inbound.messageId} chat:${inbound.chatId}]`)
  scope.histories.set(key, lines.slice(-limit))
}

function buttonsAllowed(settings: TelegramAccountSettings, kind: 'dm' | 'group'): boolean {
  const capabilities = settings.settings.capabilities
  const scope = Array.isArray(capabilities) ? (capabilities.includes('inlineButtons') ? 'all' : 'off') : (capabilities?.inlineButtons ?? 'allowlist')
  if (scope === 'off') return false
  if (scope === 'dm') return kind === 'dm'
  if (scope === 'group') return kind === 'group'
  return true
}
