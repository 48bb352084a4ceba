import type { ResolvedConfig } from '../config/load-config.js'
import type { Logger } from '../logging/logger.js'
import type { Scheduler } from '../deps.js'
import { createProvider } from '../providers/create-provider.js'
import { EMPTY_USAGE, type ContentPart, type ModelUsage, type ProviderMessage, type StopReason } from '../providers/model-provider.js'
import type { SessionEntry } from '../sessions/session-entry.js'
import { createMessageEntry, type TranscriptEntry } from '../sessions/transcript-entry.js'
import type { InboundMessage, RunOutcome } from './agent-runner.js'
import { buildHistory, estimateTokens } from './build-history.js'
import { isUserAbort } from './classify-failover-error.js'
import type { FailoverState } from './failover-state.js'
import { toFriendlyError } from './friendly-error.js'
import { acceptsImages, contextWindowFor, parseModelRef } from './model-ref.js'
import type { RunEvent } from './run-events.js'
import { runWithFailover } from './run-with-failover.js'
import { applyResponsePrefix } from './response-prefix.js'
import { buildSystemPrompt, isSilentReply } from './system-prompt.js'
import { readWorkspaceFiles } from './workspace-files.js'
import type { AgentSessions } from './agent-sessions.js'
import { resolveCandidates } from './resolve-candidates.js'
import { prefixSystemEvents, type SystemEventQueue } from './system-event-queue.js'

const DEFAULT_MAX_TOKENS = 8_192
const DEFAULT_TIMEOUT_SECONDS = 600

/** What one turn needs from the runtime. */
export interface TurnContext {
  config: ResolvedConfig
  env: Record<string, string | undefined>
  fetch: typeof fetch
  now: () => number
  scheduler: Pick<Scheduler, 'after'>
  logger: Logger
  readTextFile: (path: string) => Promise<string | undefined>
  sessions: AgentSessions
  failover: FailoverState
  /** Queued system events are drained into the prompt of the session's next turn. */
  systemEvents?: SystemEventQueue
}

/**
 * Runs one turn: prepares the session, builds the prompt and history, streams the reply through the failover chain,
 * and saves both messages before emitting the single terminal event, so a client that reloads history on `final`
 * always finds the reply there.
 */
export async function runTurn(
  context: TurnContext,
  message: InboundMessage,
  runId: string,
  signal: AbortSignal,
  emit: (event: RunEvent) => void,
): Promise<RunOutcome> {
  const { config, now } = context
  const key = message.sessionKey
  const session = await context.sessions.prepare(message)
  const entry = session.entry
  const candidates = session.refusal
    ? ({ ok: false, message: session.refusal } as const)
    : resolveCandidates(config, message.agentId, message.modelOverride ?? entry.modelOverride)
  if (!candidates.ok) return fail(context, message, runId, session.headId, candidates.message, candidates.message, emit)

  const primary = candidates.refs[0]
  emit({ type: 'run-start', runId, sessionKey: key, agentId: message.agentId, model: primary, at: now() })

  const agentConfig = config.agents?.list?.find((agent) => agent.id === message.agentId)
  const identity = agentConfig?.identity
  const workspace = context.sessions.workspaceFor(message.agentId)
  const files = await readWorkspaceFiles(workspace, context.readTextFile, config.agents?.defaults?.bootstrapMaxChars ?? 20_000)
  const system = buildSystemPrompt({
    agentId: message.agentId,
    identity,
    workspace,
    files,
    userTimezone: config.agents?.defaults?.userTimezone,
    now: now(),
    model: primary,
    channel: message.channel,
    groupChat: message.groupChat,
  })

  const events = context.systemEvents?.drain(key) ?? []
  const userContent = toUserContent({ ...message, text: prefixSystemEvents(events, session.text, config.agents?.defaults?.userTimezone) })
  // Clients show a marked greeting instruction as a "new session" note rather than as something the user said.
  const userMessage = { role: 'user' as const, content: userContent, timestamp: now(), ...(session.greeting ? { purpose: 'session-greeting' } : {}) }
  const userEntry = createMessageEntry(userMessage, session.headId, now())
  await context.sessions.append(message.agentId, entry.sessionId, [userEntry])

  const maxTokens = DEFAULT_MAX_TOKENS
  const budget = Math.max(1_000, contextWindowFor(primary, config) - maxTokens - estimateTokens(system) - estimateTokens({ role: 'user', content: userContent }))
  const history = buildHistory(session.history, budget)
  const conversation = [...history, { role: 'user' as const, content: userContent }]
  const timeoutMs = (config.agents?.defaults?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1_000

  let text = ''
  try {
    const { result, ref, attempts } = await runWithFailover({
      candidates: candidates.refs,
      profileIdFor: (candidate) => `${parseModelRef(candidate, config).provider}:env`,
      state: context.failover,
      now,
      cooldowns: config.auth?.cooldowns,
      onAttemptFailed: (failure) => context.logger.warn(`model ${failure.ref} failed (${failure.reason}): ${failure.message}`),
      attempt: async (candidate, control) => {
        const parsed = parseModelRef(candidate, config)
        const provider = createProvider(parsed.provider, { config, env: context.env, fetch: context.fetch, agentDir: context.sessions.agentDirFor(message.agentId), timeoutMs })
        const params = config.agents?.defaults?.models?.[candidate]?.params as { temperature?: number; maxTokens?: number } | undefined
        // A text-only model would reject the whole request; tell it an image was there instead.
        const messages = acceptsImages(candidate, config) ? conversation : withoutImages(conversation, candidate)
        return streamWithTimeout(context.scheduler, timeoutMs, signal, async (attemptSignal) => {
          text = ''
          let usage: ModelUsage = EMPTY_USAGE
          let stopReason: StopReason = 'stop'
          for await (const event of provider.stream({ model: parsed.model, system, messages, maxTokens: params?.maxTokens ?? maxTokens, temperature: params?.temperature, signal: attemptSignal })) {
            if (event.type === 'text-delta') {
              if (!event.text) continue
              control.markStarted()
              text += event.text
              emit({ type: 'run-delta', runId, sessionKey: key, text, delta: event.text, at: now() })
            } else {
              usage = event.usage
              stopReason = event.stopReason
            }
          }
          return { usage, stopReason }
        })
      },
    })
    if (attempts.length > 0) context.logger.info(`answered by ${ref} after ${attempts.length} failed attempt(s)`)
    const silent = isSilentReply(text)
    const prefix = config.messages?.responsePrefix as string | undefined
    const finalText = silent ? text.trim() : applyResponsePrefix(text, prefix, { modelRef: ref, identityName: identity?.name, thinkingLevel: entry.thinkingLevel })
    const parsed = parseModelRef(ref, config)
    const assistant = createMessageEntry(
      { role: 'assistant', content: [{ type: 'text', text: finalText }], provider: parsed.provider, model: parsed.model, usage: { ...result.usage }, stopReason: result.stopReason, timestamp: now() },
      userEntry.id,
      now(),
    )
    await context.sessions.append(message.agentId, entry.sessionId, [assistant])
    await context.sessions.recordUsage(message, ref, result.usage)
    emit({ type: 'run-end', runId, sessionKey: key, text: finalText, silent, model: ref, usage: result.usage, stopReason: result.stopReason, at: now() })
    return { kind: 'completed', runId, text: finalText, silent, model: ref, usage: result.usage, stopReason: result.stopReason }
  } catch (error) {
    if (signal.aborted || isUserAbort(error)) {
      const partial = createMessageEntry({ role: 'assistant', content: [{ type: 'text', text }], model: primary, usage: { ...EMPTY_USAGE }, stopReason: 'aborted', timestamp: now() }, userEntry.id, now())
      await context.sessions.append(message.agentId, entry.sessionId, [partial])
      await context.sessions.markAborted(message)
      emit({ type: 'run-abort', runId, sessionKey: key, text, at: now() })
      return { kind: 'aborted', runId, text }
    }
    const detail = error instanceof Error ? error.message : String(error)
    context.logger.error(`run ${runId} for ${key} failed: ${detail}`)
    return fail(context, message, runId, userEntry.id, toFriendlyError(error), detail, emit, entry)
  }
}

async function fail(
  context: TurnContext,
  message: InboundMessage,
  runId: string,
  parentId: string | null,
  friendly: string,
  detail: string,
  emit: (event: RunEvent) => void,
  entry?: SessionEntry,
): Promise<RunOutcome> {
  if (entry) {
    const record: TranscriptEntry = createMessageEntry(
      { role: 'assistant', content: [] as { type: 'text'; text: string }[], usage: { ...EMPTY_USAGE }, stopReason: 'error', errorMessage: detail, timestamp: context.now() },
      parentId,
      context.now(),
    )
    await context.sessions.append(message.agentId, entry.sessionId, [record])
  }
  emit({ type: 'run-error', runId, sessionKey: message.sessionKey, message: friendly, detail, at: context.now() })
  return { kind: 'failed', runId, message: friendly, detail }
}

function withoutImages(messages: ProviderMessage[], ref: string): ProviderMessage[] {
  return messages.map((message) =>
    typeof message.content === 'string'
      ? message
      : { ...message, content: message.content.map((part) => (part.type === 'image' ? { type: 'text' as const, text: `[image omitted: ${ref} does not accept images]` } : part)) },
  )
}

function toUserContent(message: InboundMessage): ContentPart[] {
  const text = message.senderLabel && message.chatType !== 'direct' ? `${message.senderLabel}: ${message.text}` : message.text
  return [...(text ? [{ type: 'text' as const, text }] : []), ...(message.images ?? []).map((image) => ({ type: 'image' as const, ...image }))]
}

// A run that outlives `timeoutSeconds` is a timeout (which fails over), not a user abort (which does not).
async function streamWithTimeout<T>(
  scheduler: Pick<Scheduler, 'after'>,
  timeoutMs: number,
  signal: AbortSignal,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController()
  let timedOut = false
  const cancelTimer = scheduler.after(timeoutMs, () => {
    timedOut = true
    controller.abort()
  })
  const onAbort = () => controller.abort()
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    return await run(controller.signal)
  } catch (error) {
    if (timedOut && !signal.aborted) {
      const timeout = new Error(`LLM request timed out after ${Math.round(timeoutMs / 1000)} s`)
      timeout.name = 'TimeoutError'
      throw timeout
    }
    throw error
  } finally {
    cancelTimer()
    signal.removeEventListener('abort', onAbort)
  }
}
