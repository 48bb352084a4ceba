import type OpenAI from 'openai'
import {
  EMPTY_USAGE,
  type ModelProvider,
  type ModelRequest,
  type ModelUsage,
  type ProviderEvent,
  type StopReason,
} from './model-provider.js'
import { ProviderStreamError, toProviderStreamFailure } from './provider-stream-error.js'
import { parseToolArguments } from './parse-tool-arguments.js'
import { toOpenAiMessages, toOpenAiTools } from './to-openai-messages.js'

/** Options for {@link createOpenAiProvider}; everything from outside the core comes in here. */
export interface OpenAiProviderOptions {
  id: string
  /** Omit for local servers (Ollama, LM Studio): no Authorization header is sent then. */
  apiKey?: string
  baseUrl?: string
  headers?: Record<string, string>
  fetch: typeof fetch
  timeoutMs?: number
  maxRetries?: number
  /** OpenAI's own reasoning models need `max_completion_tokens`; most compatible servers only know `max_tokens`. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens'
}

const STOP_REASONS: Readonly<Record<string, StopReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'toolUse',
  function_call: 'toolUse',
  content_filter: 'error',
}

/** A provider over any OpenAI-compatible Chat Completions endpoint, streaming with usage included. */
export function createOpenAiProvider(options: OpenAiProviderOptions): ModelProvider {
  const { id } = options
  const headers: Record<string, string | null> = { ...options.headers }
  // The SDK refuses to run without a key; a placeholder satisfies it and the null drops the header it would build.
  if (options.apiKey === undefined) headers.Authorization = null
  // Loaded on first use, like the Anthropic SDK: memory is only paid for providers actually called.
  let client: Promise<OpenAI> | undefined
  const getClient = () => (client ??= import('openai').then(({ default: OpenAIClient }) => new OpenAIClient({
    apiKey: options.apiKey ?? 'no-key',
    // Explicit nulls keep the SDK from reading OPENAI_* variables behind our back.
    adminAPIKey: null,
    organization: null,
    project: null,
    baseURL: options.baseUrl ?? 'https://api.openai.com/v1',
    defaultHeaders: headers,
    fetch: options.fetch,
    timeout: options.timeoutMs ?? 600_000,
    maxRetries: options.maxRetries ?? 0,
    logLevel: 'off',
  })))
  const maxTokensField = options.maxTokensField ?? 'max_tokens'

  async function* stream(request: ModelRequest): AsyncGenerator<ProviderEvent> {
    const usage: ModelUsage = { ...EMPTY_USAGE }
    let stopReason: StopReason | undefined
    // Tool calls stream as fragments keyed by `index`: id and name first, then pieces of the arguments JSON.
    const calls = new Map<number, { id: string; name: string; json: string }>()
    try {
      const chunks = await (await getClient()).chat.completions.create(
        {
          model: request.model,
          messages: toOpenAiMessages(request.system, request.messages),
          [maxTokensField]: request.maxTokens,
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(request.tools && request.tools.length > 0 ? { tools: toOpenAiTools(request.tools) } : {}),
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal: request.signal },
      )
      for await (const chunk of chunks) {
        const choice = chunk.choices[0]
        const text = choice?.delta?.content
        if (text) yield { type: 'text-delta', text }
        for (const fragment of choice?.delta?.tool_calls ?? []) {
          const call = calls.get(fragment.index) ?? { id: '', name: '', json: '' }
          if (fragment.id) call.id = fragment.id
          if (fragment.function?.name) call.name += fragment.function.name
          if (fragment.function?.arguments) call.json += fragment.function.arguments
          calls.set(fragment.index, call)
        }
        if (choice?.finish_reason) stopReason = STOP_REASONS[choice.finish_reason] ?? 'stop'
        if (chunk.usage) readUsage(usage, chunk.usage)
      }
    } catch (error) {
      throw toProviderStreamFailure(id, error, request.signal, options.baseUrl ?? 'https://api.openai.com/v1')
    }
    // The SDK ends an aborted stream quietly, so an abort and a cut connection both land here.
    if (stopReason === undefined) {
      const error = new ProviderStreamError(id, 'incomplete_stream', 'stream ended before a finish_reason')
      throw toProviderStreamFailure(id, error, request.signal, options.baseUrl ?? 'https://api.openai.com/v1')
    }
    for (const [index, call] of [...calls.entries()].sort(([left], [right]) => left - right)) {
      const parsed = parseToolArguments(call.json)
      // Some local servers omit ids; the result must still pair with its call.
      const callId = call.id || `call_${index}_${crypto.randomUUID().slice(0, 8)}`
      yield { type: 'tool-call', call: { type: 'toolCall', id: callId, name: call.name, arguments: parsed.arguments }, ...(parsed.invalid ? { argumentsInvalid: true } : {}) }
    }
    // Some compatible servers end a tool-calling turn with `stop`; the calls are what matters.
    yield { type: 'finish', stopReason: calls.size > 0 ? 'toolUse' : stopReason, usage }
  }

  return { id, api: 'openai-completions', stream }
}

// prompt_tokens includes cached tokens; we count them once, as cacheRead.
function readUsage(usage: ModelUsage, fields: OpenAI.CompletionUsage): void {
  const cached = fields.prompt_tokens_details?.cached_tokens ?? 0
  usage.input = fields.prompt_tokens - cached
  usage.cacheRead = cached
  usage.output = fields.completion_tokens
  usage.totalTokens = fields.total_tokens ?? fields.prompt_tokens + fields.completion_tokens
}
