import type { ResolvedConfig } from '../config/load-config.js'
import type { Logger } from '../logging/logger.js'
import { EMPTY_USAGE, type ContentPart, type ToolCallPart } from '../providers/model-provider.js'
import type { SessionEntry } from '../sessions/session-entry.js'
import { createMessageEntry, type TranscriptEntry, type TranscriptMessage } from '../sessions/transcript-entry.js'
import type { Scheduler } from '../deps.js'
import type { ToolRegistry } from '../tools/tool-registry.js'
import type { InboundMessage, RunOutcome } from './agent-runner.js'
import { buildHistory, estimateTokens } from './build-history.js'
import { isUserAbort } from './classify-failover-error.js'
import type { FailoverState } from './failover-state.js'
import { TIMEOUT_TEXT, toFriendlyError } from './friendly-error.js'
import { contextWindowFor, parseModelRef } from './model-ref.js'
import type { RunEvent } from './run-events.js'
import { repairMessages, runToolLoop, ToolLoopLimitError } from './run-tool-loop.js'
import { applyResponsePrefix } from './response-prefix.js'
import { buildSystemPrompt, isSilentReply } from './system-prompt.js'
import { readWorkspaceFiles } from './workspace-files.js'
import type { AgentSessions } from './agent-sessions.js'
import { resolveCandidates } from './resolve-candidates.js'

const DEFAULT_MAX_TOKENS = 8_192
const DEFAULT_TIMEOUT_SECONDS = 600

/** What one turn needs from the runtime. */
export interface TurnContext {
  config: ResolvedConfig
  env: Record<string, string | undefined>
  fetch: typeof fetch
  now: () => number
  logger: Logger
  readTextFile: (path: string) => Promise<string | undefined>
  sessions: AgentSessions
  failover: FailoverState
  scheduler: Scheduler
  /** Where this run's tools come from; the policy pipeline is applied per run. */
  tools: ToolRegistry
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
  const tools = await context.tools.resolve({ config, agentId: message.agentId, sessionKey: key, workspace, modelRef: primary, channel: message.channel })
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
    toolNames: tools.map((tool) => tool.name),
  })

  const userContent = toUserContent({ ...message, text: session.text })
  // Clients show a marked greeting instruction as a "new session" note rather than as something the user said.
  const userMessage = { role: 'user' as const, content: userContent, timestamp: now(), ...(session.greeting ? { purpose: 'session-greeting' } : {}) }
  const userEntry = createMessageEntry(userMessage, session.headId, now())
  await context.sessions.append(message.agentId, entry.sessionId, [userEntry])

  const maxTokens = DEFAULT_MAX_TOKENS
  const budget = Math.max(1_000, contextWindowFor(primary, config) - maxTokens - estimateTokens(system) - estimateTokens({ role: 'user', content: userContent }))
  const history = buildHistory(session.history, budget)
  const conversation = [...history, { role: 'user' as const, content: userContent }]
  const timeoutMs = (config.agents?.defaults?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1_000
  const verbose = (entry.verboseLevel ?? config.agents?.defaults?.verboseDefault) === 'on'

  // One signal for the model and every tool: the caller's abort, or the run timeout over the whole loop.
  const run = new AbortController()
  let runTimedOut = false
  const cancelTimeout = context.scheduler.after(timeoutMs, () => {
    runTimedOut = true
    run.abort()
  })
  const onAbort = () => run.abort()
  if (signal.aborted) run.abort()
  signal.addEventListener('abort', onAbort, { once: true })
  let headId = userEntry.id
  const save = async (messages: TranscriptMessage[]) => {
    const entries = messages.map((item) => {
      const line = createMessageEntry(item, headId, now())
      headId = line.id
      return line
    })
    await context.sessions.append(message.agentId, entry.sessionId, entries)
  }
  const partial = { text: '', pendingCalls: [] as ToolCallPart[], answered: new Set<string>() }
  try {
    const { text, ref, usage, stopReason, attempts } = await runToolLoop(
      {
        config,
        env: context.env,
        fetch: context.fetch,
        now,
        scheduler: context.scheduler,
        logger: context.logger,
        failover: context.failover,
        agentDir: context.sessions.agentDirFor(message.agentId),
        candidates: candidates.refs,
        system,
        conversation,
        tools,
        maxTokens,
        timeoutMs,
        runId,
        sessionKey: key,
        verbose,
        signal: run.signal,
        emit,
        save,
      },
      partial,
    )
    if (attempts > 0) context.logger.info(`answered by ${ref} after ${attempts} failed attempt(s)`)
    const silent = isSilentReply(text)
    const prefix = config.messages?.responsePrefix as string | undefined
    const finalText = silent ? text.trim() : applyResponsePrefix(text, prefix, { modelRef: ref, identityName: identity?.name, thinkingLevel: entry.thinkingLevel })
    const parsed = parseModelRef(ref, config)
    await save([{ role: 'assistant', content: [{ type: 'text', text: finalText }], provider: parsed.provider, model: parsed.model, usage: { ...usage }, stopReason, timestamp: now() }])
    await context.sessions.recordUsage(message, ref, usage)
    emit({ type: 'run-end', runId, sessionKey: key, text: finalText, silent, model: ref, usage, stopReason, at: now() })
    return { kind: 'completed', runId, text: finalText, silent, model: ref, usage, stopReason }
  } catch (error) {
    // Calls of an interrupted step still get (synthetic) results, so the transcript stays paired.
    await save(repairMessages(partial.pendingCalls, partial.answered, now()))
    if (runTimedOut && !signal.aborted) {
      context.logger.error(`run ${runId} for ${key} timed out after ${timeoutMs / 1000} s`)
      return fail(context, message, runId, headId, TIMEOUT_TEXT, `run timed out after ${timeoutMs / 1000} s`, emit, entry)
    }
    if (signal.aborted || isUserAbort(error)) {
      const text = partial.text
      await save([{ role: 'assistant', content: [{ type: 'text', text }], model: primary, usage: { ...EMPTY_USAGE }, stopReason: 'aborted', timestamp: now() }])
      await context.sessions.markAborted(message)
      emit({ type: 'run-abort', runId, sessionKey: key, text, at: now() })
      return { kind: 'aborted', runId, text }
    }
    const detail = error instanceof Error ? error.message : String(error)
    context.logger.error(`run ${runId} for ${key} failed: ${detail}`)
    const friendly = error instanceof ToolLoopLimitError ? error.message : toFriendlyError(error)
    return fail(context, message, runId, headId, friendly, detail, emit, entry)
  } finally {
    cancelTimeout()
    signal.removeEventListener('abort', onAbort)
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

function toUserContent(message: InboundMessage): ContentPart[] {
  const text = message.senderLabel && message.chatType !== 'direct' ? `${message.senderLabel}: ${message.text}` : message.text
  return [...(text ? [{ type: 'text' as const, text }] : []), ...(message.images ?? []).map((image) => ({ type: 'image' as const, ...image }))]
}
