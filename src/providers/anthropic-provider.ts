import type Anthropic from '@anthropic-ai/sdk'
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
import { toAnthropicMessages, toAnthropicTools } from './to-anthropic-messages.js'

/** Options for {@link createAnthropicProvider}; everything from outside the core comes in here. */
export interface AnthropicProviderOptions {
  id?: string
  apiKey?: string
  authToken?: string
  baseUrl?: string
  headers?: Record<string, string>
  fetch: typeof fetch
  timeoutMs?: number
  maxRetries?: number
}

/** The identity Anthropic requires as the first system block for Claude Code OAuth (setup) tokens. */
export const CLAUDE_CODE_IDENTITY = "You are Claude Code, Anthropic's official CLI for Claude."
/** Beta flags that make Anthropic accept Claude Code OAuth tokens on the Messages API. */
export const CLAUDE_CODE_BETA = 'claude-code-20250219,oauth-2025-04-20'

const STOP_REASONS: Readonly<Record<string, StopReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'toolUse',
  refusal: 'error',
}

/**
 * A provider over the Anthropic Messages API (streaming). `sk-ant-oat…` credentials are sent as a Bearer token with
 * the Claude Code beta header and identity block, as spec §6.1 requires.
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): ModelProvider {
  const id = options.id ?? 'anthropic'
  const credential = options.authToken ?? options.apiKey
  const usesOAuth = credential?.startsWith('sk-ant-oat') === true
  const headers: Record<string, string | null> = { ...options.headers }
  if (usesOAuth) headers['anthropic-beta'] = mergeBetas(options.headers?.['anthropic-beta'], CLAUDE_CODE_BETA)
  // Keyless local servers: the SDK insists on a credential, so give it one and strip the header it would send.
  if (credential === undefined) headers.Authorization = null
  // The SDK is loaded on first use: it costs about 20 MB of memory, which a gateway that never calls it should not pay.
  let client: Promise<Anthropic> | undefined
  const getClient = () => (client ??= import('@anthropic-ai/sdk').then(({ default: AnthropicClient }) => new AnthropicClient({
    ...(usesOAuth || options.authToken !== undefined ? { authToken: credential } : { apiKey: credential ?? 'no-key' }),
    baseURL: options.baseUrl ?? 'https://api.anthropic.com',
    defaultHeaders: headers,
    fetch: options.fetch,
    timeout: options.timeoutMs ?? 600_000,
    maxRetries: options.maxRetries ?? 0,
    // Stream failures are rethrown with their details; the SDK's console logging would only duplicate them.
    logLevel: 'off',
  })))

  async function* stream(request: ModelRequest): AsyncGenerator<ProviderEvent> {
    const system: Anthropic.TextBlockParam[] = []
    if (usesOAuth) system.push({ type: 'text', text: CLAUDE_CODE_IDENTITY })
    if (request.system !== '') system.push({ type: 'text', text: request.system })
    const usage: ModelUsage = { ...EMPTY_USAGE }
    let stopReason: StopReason = 'stop'
    let finished = false
    // Tool input arrives as JSON fragments per content block; a call is complete at its content_block_stop.
    const pending = new Map<number, { id: string; name: string; json: string }>()
    try {
      const events = await (await getClient()).messages.create(
        {
          model: request.model,
          max_tokens: request.maxTokens,
          messages: toAnthropicMessages(request.messages),
          ...(system.length > 0 ? { system } : {}),
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(request.tools && request.tools.length > 0 ? { tools: toAnthropicTools(request.tools) } : {}),
          stream: true,
        },
        { signal: request.signal },
      )
      for await (const event of events) {
        if (event.type === 'message_start') {
          readUsage(usage, event.message.usage)
        } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          yield { type: 'text-delta', text: event.delta.text }
        } else if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
          pending.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: '' })
        } else if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
          const call = pending.get(event.index)
          if (call) call.json += event.delta.partial_json
        } else if (event.type === 'content_block_stop' && pending.has(event.index)) {
          const call = pending.get(event.index)!
          pending.delete(event.index)
          const parsed = parseToolArguments(call.json)
          yield { type: 'tool-call', call: { type: 'toolCall', id: call.id, name: call.name, arguments: parsed.arguments }, ...(parsed.invalid ? { argumentsInvalid: true } : {}) }
        } else if (event.type === 'message_delta') {
          readUsage(usage, event.usage)
          if (event.delta.stop_reason) stopReason = STOP_REASONS[event.delta.stop_reason] ?? 'stop'
        } else if (event.type === 'message_stop') {
          finished = true
        }
      }
    } catch (error) {
      throw toProviderStreamFailure(id, error, request.signal, options.baseUrl ?? 'https://api.anthropic.com')
    }
    // The SDK ends an aborted stream quietly, so an abort and a cut connection both land here.
    if (!finished) throw toProviderStreamFailure(id, incomplete(id), request.signal)
    usage.totalTokens = usage.input + usage.output + usage.cacheRead + usage.cacheWrite
    yield { type: 'finish', stopReason, usage }
  }

  return { id, api: 'anthropic-messages', stream }
}

interface AnthropicUsageFields {
  input_tokens?: number | null
  output_tokens?: number | null
  cache_read_input_tokens?: number | null
  cache_creation_input_tokens?: number | null
}

// message_start carries the input side; message_delta repeats or updates the counts, so later values win.
function readUsage(usage: ModelUsage, fields: AnthropicUsageFields): void {
  usage.input = fields.input_tokens ?? usage.input
  usage.output = fields.output_tokens ?? usage.output
  usage.cacheRead = fields.cache_read_input_tokens ?? usage.cacheRead
  usage.cacheWrite = fields.cache_creation_input_tokens ?? usage.cacheWrite
}

function mergeBetas(existing: string | undefined, required: string): string {
  const flags = new Set([...(existing ?? '').split(','), ...required.split(',')].map((flag) => flag.trim()))
  flags.delete('')
  return [...flags].join(',')
}

function incomplete(id: string): ProviderStreamError {
  return new ProviderStreamError(id, 'incomplete_stream', 'stream ended before message_stop')
}
