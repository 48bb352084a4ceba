/**
 * A local fake of an OpenAI-compatible Chat Completions API (POST /v1/chat/completions) speaking the real
 * HTTP/SSE wire format. Scripting, gates and request recording work as in fake-anthropic-server.ts.
 *
 * @example
 * const server = await startFakeOpenAi()
 * server.script(openAiReply(['Hel', 'lo'], { usage: { prompt: 12, completion: 2 } }))
 * // point the SDK at server.url (it already ends in /v1)
 * expect(server.requests[0].headers.authorization).toBe('Bearer sk-test')
 * await server.close()
 */
import { startScriptedServer, type FakeServer, type Gate, type ScriptedResponse, type ScriptedToolCall } from './fake-anthropic-server.js'

export { gate, type FakeServer, type Gate, type RecordedRequest, type ScriptedResponse, type ScriptedToolCall } from './fake-anthropic-server.js'

/** Starts a fake OpenAI-compatible server on 127.0.0.1, port 0; its `url` is the base URL including `/v1`. */
export function startFakeOpenAi(): Promise<FakeServer> {
  return startScriptedServer({
    basePath: '/v1',
    routes: ['/v1/chat/completions'],
    fallback: (message) => openAiError(500, { message, type: 'server_error', code: null }),
  })
}

/** Token counts a scripted reply reports in its final usage chunk. */
export interface OpenAiUsageScript {
  prompt: number
  completion: number
  cached?: number
}

/**
 * A streamed completion: a role chunk, one content chunk per text (gates pause between them), a chunk with the
 * finish reason, a usage chunk with empty choices, then `[DONE]`. `cut` stops before the finish reason: `end`
 * finishes the HTTP response cleanly, `destroy` kills the connection.
 */
export function openAiReply(
  chunks: Array<string | Gate>,
  options: { usage?: OpenAiUsageScript | null; finishReason?: string; model?: string; cut?: 'end' | 'destroy' } = {},
): ScriptedResponse {
  const model = options.model ?? 'gpt-4o'
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
    `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_800_000_000, model, choices, ...extra })}\n\n`
  const body: Array<string | Gate> = [
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
    ...chunks.map((text) =>
      typeof text === 'string' ? chunk([{ index: 0, delta: { content: text }, finish_reason: null }]) : text,
    ),
  ]
  if (options.cut === undefined) {
    body.push(chunk([{ index: 0, delta: {}, finish_reason: options.finishReason ?? 'stop' }]))
    const usage = options.usage === undefined ? { prompt: 10, completion: 5 } : options.usage
    // Servers that ignore stream_options (older Ollama) send no usage chunk; `usage: null` scripts that.
    if (usage !== null) {
      const details = usage.cached === undefined ? {} : { prompt_tokens_details: { cached_tokens: usage.cached } }
      const totals = { prompt_tokens: usage.prompt, completion_tokens: usage.completion }
      body.push(chunk([], { usage: { ...totals, total_tokens: usage.prompt + usage.completion, ...details } }))
    }
    body.push('data: [DONE]\n\n')
  }
  return { status: 200, headers: SSE_HEADERS, body, ending: options.cut === 'destroy' ? 'destroy' : 'end' }
}

/** The `error` object of OpenAI's JSON error body. */
export interface OpenAiErrorBody {
  message: string
  type: string
  code: string | null
  param?: string | null
}

/** An HTTP error with OpenAI's real JSON error body, e.g. (429, { message, type: 'requests', code: 'rate_limit_exceeded' }). */
export function openAiError(status: number, error: OpenAiErrorBody, headers: Record<string, string> = {}): ScriptedResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-request-id': 'req_fake_01', ...headers },
    body: [JSON.stringify({ error: { param: null, ...error } })],
  }
}

/** A stream that sends `chunks`, then an `{"error": …}` data line, as OpenAI-compatible servers do mid-stream. */
export function openAiStreamError(chunks: string[], error: OpenAiErrorBody): ScriptedResponse {
  const reply = openAiReply(chunks, { cut: 'end' })
  reply.body.push(`data: ${JSON.stringify({ error })}\n\n`)
  return reply
}

/** A stream whose second data line is invalid JSON. */
export function openAiMalformed(): ScriptedResponse {
  const reply = openAiReply([], { cut: 'end' })
  reply.body.push('data: {"id":"chatcmpl-fake","choices":[{\n\n')
  return reply
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }

/**
 * A streamed completion that calls tools, in the real wire format: optional content first, then per call a chunk
 * with `index`, `id`, `type` and the function name, followed by `arguments` fragments (split every `fragment`
 * chars) that carry only the `index`; then `finish_reason: "tool_calls"` (or `finishReason`, as some local
 * servers send `stop`), usage and `[DONE]`.
 */
export function openAiToolCalls(calls: ScriptedToolCall[], options: { text?: string; fragment?: number; finishReason?: string; omitIds?: boolean } = {}): ScriptedResponse {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
    `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_800_000_000, model: 'gpt-4o', choices, ...extra })}\n\n`
  const body: string[] = [chunk([{ index: 0, delta: { role: 'assistant', content: options.text ?? null }, finish_reason: null }])]
  const size = options.fragment ?? 7
  calls.forEach((call, index) => {
    const json = call.rawJson ?? JSON.stringify(call.input ?? {})
    const head = { index, ...(options.omitIds ? {} : { id: call.id }), type: 'function', function: { name: call.name, arguments: '' } }
    body.push(chunk([{ index: 0, delta: { tool_calls: [head] }, finish_reason: null }]))
    for (let offset = 0; offset < json.length; offset += size) {
      body.push(chunk([{ index: 0, delta: { tool_calls: [{ index, function: { arguments: json.slice(offset, offset + size) } }] }, finish_reason: null }]))
    }
  })
  body.push(chunk([{ index: 0, delta: {}, finish_reason: options.finishReason ?? 'tool_calls' }]))
  body.push(chunk([], { usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 } }))
  body.push('data: [DONE]\n\n')
  return { status: 200, headers: SSE_HEADERS, body, ending: 'end' }
}
