/**
 * A local fake of the Anthropic Messages API (POST /v1/messages) speaking the real HTTP/SSE wire format, plus the
 * scripted-server core that fake-openai-server.ts reuses.
 *
 * @example
 * const server = await startFakeAnthropic()
 * const release = gate()
 * server.script(anthropicReply(['Hel', release, 'lo'], { usage: { input: 10, output: 2 } }))
 * // point the SDK at server.url, read the first delta, then `release.open()`
 * expect(server.requests[0].body).toMatchObject({ model: 'claude-opus-4-5', stream: true })
 * await server.close()
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the fake server received. */
export interface RecordedRequest {
  method: string
  path: string
  /** Lower-cased header names, as Node reports them. */
  headers: Record<string, string>
  /** The JSON body, or the raw text when it was not JSON. */
  body: any
  /** True once the client went away before the response ended (an abort or a dropped connection). */
  aborted: boolean
  /** Resolves when the response ended or the connection closed, whichever came first. */
  settled: Promise<void>
}

/** A point in a scripted body where the server waits until the test calls `open()`. */
export class Gate {
  /** Resolves when the server has written everything before this gate. */
  readonly reached: Promise<void>
  readonly opened: Promise<void>
  /** Releases the rest of the body. */
  open!: () => void
  /** Called by the server when it arrives at the gate. */
  arrive!: () => void

  constructor() {
    this.opened = new Promise<void>((resolve) => (this.open = resolve))
    this.reached = new Promise<void>((resolve) => (this.arrive = resolve))
  }
}

/** What the server answers with: a status, headers and body pieces written in order. */
export interface ScriptedResponse {
  status: number
  headers?: Record<string, string>
  body: Array<string | Gate>
  /** `destroy` cuts the connection after the body instead of ending the response properly. */
  ending?: 'end' | 'destroy'
}

export type ScriptHandler = (request: RecordedRequest) => ScriptedResponse

/** A running fake server. */
export interface FakeServer {
  /** The base URL to hand to the SDK (`baseURL`). */
  url: string
  requests: RecordedRequest[]
  /** Queues one-shot responses, in order, or sets a handler used once the queue is empty. */
  script(...responses: ScriptedResponse[] | [ScriptHandler]): void
  close(): Promise<void>
}

/** Creates a gate the test opens to release the rest of a scripted stream. */
export function gate(): Gate {
  return new Gate()
}

/** Starts a fake Anthropic Messages API on 127.0.0.1, port 0. */
export function startFakeAnthropic(): Promise<FakeServer> {
  return startScriptedServer({
    basePath: '',
    routes: ['/v1/messages'],
    fallback: (message) => anthropicError(500, 'api_error', message),
  })
}

/** Starts a scripted server; `routes` are the POST paths it serves, everything else gets `fallback(…)` with 404. */
export async function startScriptedServer(options: {
  basePath: string
  routes: string[]
  fallback: (message: string) => ScriptedResponse
}): Promise<FakeServer> {
  const requests: RecordedRequest[] = []
  const queue: ScriptedResponse[] = []
  let handler: ScriptHandler | undefined

  const server = createServer((incoming, response) => {
    void readBody(incoming).then((text) => {
      let markSettled!: () => void
      const settled = new Promise<void>((resolve) => (markSettled = resolve))
      const recorded: RecordedRequest = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: flattenHeaders(incoming),
        body: parseJson(text),
        aborted: false,
        settled,
      }
      requests.push(recorded)
      let cutByServer = false
      response.on('close', () => {
        if (!response.writableFinished && !cutByServer) recorded.aborted = true
        markSettled()
      })
      const path = recorded.path.split('?')[0]
      const scripted =
        incoming.method !== 'POST' || !options.routes.includes(path)
          ? { ...options.fallback(`fake server: no route for ${recorded.method} ${path}`), status: 404 }
          : (queue.shift() ?? handler?.(recorded) ?? options.fallback('fake server: no scripted response'))
      void writeScripted(response, scripted, settled, () => (cutByServer = true))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}${options.basePath}`,
    requests,
    script(...responses) {
      if (typeof responses[0] === 'function') handler = responses[0]
      else queue.push(...(responses as ScriptedResponse[]))
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function writeScripted(
  response: ServerResponse,
  scripted: ScriptedResponse,
  settled: Promise<void>,
  markCut: () => void,
): Promise<void> {
  response.writeHead(scripted.status, scripted.headers)
  response.flushHeaders()
  for (const piece of scripted.body) {
    if (typeof piece === 'string') {
      response.write(piece)
      continue
    }
    piece.arrive()
    await Promise.race([piece.opened, settled])
    if (response.destroyed) return
  }
  if (scripted.ending === 'destroy') {
    markCut()
    response.destroy()
  } else {
    response.end()
  }
}

function readBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    incoming.on('error', reject)
  })
}

function flattenHeaders(incoming: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Token counts a scripted Anthropic reply reports. */
export interface AnthropicUsageScript {
  input: number
  output: number
  cacheRead?: number
  cacheWrite?: number
}

/**
 * A streamed Messages reply: message_start, one text block with a delta per chunk (gates pause between them),
 * message_delta with the stop reason and usage, message_stop. `cut` drops the closing events: `end` finishes the
 * HTTP response cleanly, `destroy` kills the connection.
 */
export function anthropicReply(
  chunks: Array<string | Gate>,
  options: { usage?: AnthropicUsageScript; stopReason?: string; model?: string; cut?: 'end' | 'destroy' } = {},
): ScriptedResponse {
  const usage = options.usage ?? { input: 10, output: 5 }
  const body: Array<string | Gate> = [
    sse('message_start', {
      type: 'message_start',
      message: {
        id: 'msg_fake_01',
        type: 'message',
        role: 'assistant',
        model: options.model ?? 'claude-opus-4-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input,
          cache_creation_input_tokens: usage.cacheWrite ?? 0,
          cache_read_input_tokens: usage.cacheRead ?? 0,
          output_tokens: 1,
        },
      },
    }),
    sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    sse('ping', { type: 'ping' }),
    ...chunks.map((chunk) =>
      typeof chunk === 'string'
        ? sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: chunk } })
        : chunk,
    ),
  ]
  if (options.cut === undefined) {
    body.push(
      sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
      sse('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: options.stopReason ?? 'end_turn', stop_sequence: null },
        usage: { output_tokens: usage.output },
      }),
      sse('message_stop', { type: 'message_stop' }),
    )
  }
  return { status: 200, headers: SSE_HEADERS, body, ending: options.cut === 'destroy' ? 'destroy' : 'end' }
}

/** An HTTP error with Anthropic's real JSON error body, e.g. (529, 'overloaded_error', 'Overloaded'). */
export function anthropicError(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): ScriptedResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'request-id': 'req_fake_01', ...headers },
    body: [JSON.stringify({ type: 'error', error: { type, message } })],
  }
}

/** A stream that starts normally, sends `chunks`, then an `error` SSE event (how Anthropic reports mid-stream failures). */
export function anthropicStreamError(chunks: string[], type: string, message: string): ScriptedResponse {
  const reply = anthropicReply(chunks, { cut: 'end' })
  reply.body.push(sse('error', { type: 'error', error: { type, message } }))
  return reply
}

/** A stream whose first text delta carries invalid JSON in its data line. */
export function anthropicMalformed(): ScriptedResponse {
  const reply = anthropicReply([], { cut: 'end' })
  reply.body.push('event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{\n\n')
  return reply
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': 'req_fake_01' }

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

/** One scripted tool call: `input` is sent as JSON, or `rawJson` verbatim (to script broken arguments). */
export interface ScriptedToolCall {
  id: string
  name: string
  input?: Record<string, unknown>
  rawJson?: string
}

/**
 * A streamed Messages reply that calls tools, in the real wire format: optional text block first, then one
 * `tool_use` block per call whose input arrives as `input_json_delta` fragments (split every `fragment` chars),
 * then `stop_reason: "tool_use"`.
 */
export function anthropicToolUse(calls: ScriptedToolCall[], options: { text?: string; fragment?: number; usage?: AnthropicUsageScript } = {}): ScriptedResponse {
  const usage = options.usage ?? { input: 20, output: 10 }
  const body: string[] = [
    sse('message_start', {
      type: 'message_start',
      message: { id: 'msg_fake_tools', type: 'message', role: 'assistant', model: 'claude-opus-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input, output_tokens: 1 } },
    }),
  ]
  let index = 0
  if (options.text) {
    body.push(
      sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }),
      sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: options.text } }),
      sse('content_block_stop', { type: 'content_block_stop', index }),
    )
    index++
  }
  const size = options.fragment ?? 7
  for (const call of calls) {
    const json = call.rawJson ?? JSON.stringify(call.input ?? {})
    body.push(sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } }))
    for (let offset = 0; offset < json.length; offset += size) {
      body.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(offset, offset + size) } }))
    }
    body.push(sse('content_block_stop', { type: 'content_block_stop', index }))
    index++
  }
  body.push(
    sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: usage.output } }),
    sse('message_stop', { type: 'message_stop' }),
  )
  return { status: 200, headers: SSE_HEADERS, body, ending: 'end' }
}
