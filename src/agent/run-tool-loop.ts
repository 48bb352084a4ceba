import type { Scheduler } from '../deps.js'
import type { ResolvedConfig } from '../config/load-config.js'
import type { Logger } from '../logging/logger.js'
import { createProvider } from '../providers/create-provider.js'
import { EMPTY_USAGE, type ContentPart, type ModelUsage, type ProviderMessage, type StopReason, type ToolCallPart } from '../providers/model-provider.js'
import type { TranscriptMessage } from '../sessions/transcript-entry.js'
import type { AgentTool, ToolResult } from '../tools/agent-tool.js'
import { executeToolCall, isErrorResult } from '../tools/execute-tool-call.js'
import { summarizeToolCall } from '../tools/tool-display.js'
import type { FailoverState } from './failover-state.js'
import { acceptsImages, parseModelRef } from './model-ref.js'
import { missingResult } from './repair-tool-pairing.js'
import type { RunEvent } from './run-events.js'
import { runWithFailover } from './run-with-failover.js'

/**
 * Model calls per run before the loop gives up. DEVIATION: upstream has no cap (spec/agent-tools.md §1.1); a model
 * stuck calling tools would otherwise spend until the run timeout.
 */
export const MAX_MODEL_CALLS = 25

/** Thrown when the cap is reached; its message is what the user sees. */
export class ToolLoopLimitError extends Error {
  constructor() {
    super(`Stopped after ${MAX_MODEL_CALLS} model calls in one run: the assistant kept calling tools without answering. Try a narrower request.`)
    this.name = 'ToolLoopLimitError'
  }
}

/** What the loop needs; persistence goes through `save` so the transcript grows step by step. */
export interface ToolLoopOptions {
  config: ResolvedConfig
  env: Record<string, string | undefined>
  fetch: typeof fetch
  now: () => number
  scheduler: Scheduler
  logger: Logger
  failover: FailoverState
  agentDir: string
  candidates: readonly string[]
  system: string
  conversation: ProviderMessage[]
  tools: readonly AgentTool[]
  maxTokens: number
  timeoutMs: number
  runId: string
  sessionKey: string
  /** Tool stream events are for verbose runs only (the bridge and channels read this flag). */
  verbose: boolean
  signal: AbortSignal
  emit: (event: RunEvent) => void
  /** Appends messages of a finished tool step to the transcript, in order. */
  save: (messages: TranscriptMessage[]) => Promise<void>
}

/** How the loop ended: the final message's text and stop reason, the model that wrote it, usage over all calls. */
export interface ToolLoopResult {
  text: string
  ref: string
  usage: ModelUsage
  stopReason: StopReason
  attempts: number
}

/**
 * Model call → tools → model call until the model answers without tool calls (spec/agent-tools.md §1). Each model
 * call goes through the failover chain on its own, so a step can continue on the other provider's API; tool calls
 * run one at a time in call order under the run's one abort signal. `partial` tracks what an abort must persist.
 */
export async function runToolLoop(options: ToolLoopOptions, partial: { text: string; pendingCalls: ToolCallPart[]; answered: Set<string> }): Promise<ToolLoopResult> {
  const { config, now, emit, runId, sessionKey } = options
  const conversation = [...options.conversation]
  const specs = options.tools.map(({ name, description, parameters }) => ({ name, description, parameters }))
  const usage: ModelUsage = { ...EMPTY_USAGE }
  let failedAttempts = 0
  for (let call = 1; ; call++) {
    if (call > MAX_MODEL_CALLS) throw new ToolLoopLimitError()
    const { result, ref, attempts } = await runWithFailover({
      candidates: options.candidates,
      profileIdFor: (candidate) => `${parseModelRef(candidate, config).provider}:env`,
      state: options.failover,
      now,
      cooldowns: config.auth?.cooldowns,
      onAttemptFailed: (failure) => options.logger.warn(`model ${failure.ref} failed (${failure.reason}): ${failure.message}`),
      attempt: async (candidate, control) => {
        const parsed = parseModelRef(candidate, config)
        const provider = createProvider(parsed.provider, { config, env: options.env, fetch: options.fetch, agentDir: options.agentDir, timeoutMs: options.timeoutMs })
        const params = config.agents?.defaults?.models?.[candidate]?.params as { temperature?: number; maxTokens?: number } | undefined
        // A text-only model would reject the whole request; tell it an image was there instead.
        const messages = acceptsImages(candidate, config) ? conversation : withoutImages(conversation, candidate)
        return streamWithTimeout(options.scheduler, options.timeoutMs, options.signal, async (attemptSignal) => {
          const step = { text: '', calls: [] as ToolCallPart[], usage: EMPTY_USAGE, stopReason: 'stop' as StopReason }
          partial.text = ''
          const request = { model: parsed.model, system: options.system, messages, maxTokens: params?.maxTokens ?? options.maxTokens, temperature: params?.temperature, tools: specs, signal: attemptSignal }
          for await (const event of provider.stream(request)) {
            if (event.type === 'text-delta') {
              if (!event.text) continue
              control.markStarted()
              step.text += event.text
              partial.text = step.text
              emit({ type: 'run-delta', runId, sessionKey, text: step.text, delta: event.text, at: now() })
            } else if (event.type === 'tool-call') {
              step.calls.push(event.call)
            } else {
              step.usage = event.usage
              step.stopReason = event.stopReason
            }
          }
          return step
        })
      },
    })
    failedAttempts += attempts.length
    addUsage(usage, result.usage)
    if (result.calls.length === 0) {
      return { text: result.text, ref, usage, stopReason: result.stopReason, attempts: failedAttempts }
    }
    const parsed = parseModelRef(ref, config)
    const assistant = {
      role: 'assistant' as const,
      content: [...(result.text ? [{ type: 'text' as const, text: result.text }] : []), ...result.calls],
      provider: parsed.provider,
      model: parsed.model,
      usage: { ...result.usage },
      stopReason: 'toolUse' as const,
      timestamp: now(),
    } satisfies TranscriptMessage
    partial.pendingCalls = result.calls
    partial.answered = new Set()
    await options.save([assistant])
    conversation.push({ role: 'assistant', content: assistant.content })
    for (const toolCall of result.calls) {
      const message = await runOneTool(options, toolCall)
      partial.answered.add(toolCall.id)
      await options.save([message])
      conversation.push({ role: 'toolResult', toolCallId: toolCall.id, toolName: toolCall.name, content: message.content as ContentPart[], isError: (message as { isError: boolean }).isError })
    }
    partial.pendingCalls = []
  }
}

async function runOneTool(options: ToolLoopOptions, toolCall: ToolCallPart): Promise<TranscriptMessage> {
  const { emit, runId, sessionKey, now, verbose } = options
  const name = toolCall.name.toLowerCase()
  const meta = summarizeToolCall(name, toolCall.arguments)
  const startedAt = now()
  emit({ type: 'tool-call', runId, sessionKey, toolCallId: toolCall.id, name, arguments: toolCall.arguments, meta, verbose, at: startedAt })
  const result: ToolResult = await executeToolCall(options.tools, toolCall, {
    toolCallId: toolCall.id,
    signal: options.signal,
    onUpdate: (partial) => emit({ type: 'tool-update', runId, sessionKey, toolCallId: toolCall.id, name, partialResult: partial, verbose, at: now() }),
  }, options.logger)
  const isError = isErrorResult(result)
  emit({ type: 'tool-result', runId, sessionKey, toolCallId: toolCall.id, name, result, isError, arguments: toolCall.arguments, meta, durationMs: now() - startedAt, verbose, at: now() })
  return {
    role: 'toolResult',
    toolCallId: toolCall.id,
    toolName: toolCall.name,
    content: result.content,
    ...(result.details === undefined ? {} : { details: result.details }),
    isError,
    timestamp: now(),
  }
}

/** Synthetic results for calls of an interrupted step, so the stored transcript stays paired (§1.4). */
export function repairMessages(pending: readonly ToolCallPart[], answered: ReadonlySet<string>, now: number): TranscriptMessage[] {
  return pending.filter((call) => !answered.has(call.id)).map((call) => ({ ...missingResult(call), timestamp: now }))
}

function addUsage(total: ModelUsage, step: ModelUsage): void {
  total.input += step.input
  total.output += step.output
  total.cacheRead += step.cacheRead
  total.cacheWrite += step.cacheWrite
  total.totalTokens += step.totalTokens
}

function withoutImages(messages: ProviderMessage[], ref: string): ProviderMessage[] {
  const note = { type: 'text' as const, text: `[image omitted: ${ref} does not accept images]` }
  return messages.map((message) => {
    if (typeof message.content === 'string') return message
    if (message.role === 'toolResult') return { ...message, content: message.content.map((part) => (part.type === 'image' ? note : part)) }
    return { ...message, content: message.content.map((part) => (part.type === 'image' ? note : part)) } as ProviderMessage
  })
}

// A model call that outlives `timeoutSeconds` is a timeout (which fails over), not a user abort (which does not).
async function streamWithTimeout<T>(scheduler: Scheduler, timeoutMs: number, signal: AbortSignal, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  let timedOut = false
  const cancel = scheduler.after(timeoutMs, () => {
    timedOut = true
    controller.abort()
  })
  const onAbort = () => controller.abort()
  if (signal.aborted) controller.abort()
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
    cancel()
    signal.removeEventListener('abort', onAbort)
  }
}
