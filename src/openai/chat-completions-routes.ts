import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import type { AuthGuard } from '../gateway/auth-guard.js'
import { requireGatewayAuth } from '../http/require-gateway-auth.js'
import { BODY_LIMITS, readJsonBody } from '../http/read-body.js'
import { TEXT_LIMITS } from '../sessions/text-limits.js'
import { getDefaultAgentId, normalizeAgentId } from '../config/config-lookup.js'
import { canonicalizeSessionKey } from '../sessions/session-key.js'
import type { AgentRunner, InboundMessage, RunOutcome } from '../agent/agent-runner.js'
import { agentIdFromModel, ChatCompletionRequestSchema, toMessageParts, type ChatCompletionRequest } from './chat-completion-request.js'

/**
 * `POST /v1/chat/completions`: the OpenAI-compatible front door to an agent, off unless
 * `gateway.http.endpoints.chatCompletions.enabled` is true (as upstream), behind the gateway token.
 * @see spec/protocol.md §1.3
 */
export function createChatCompletionsRoutes(deps: AppDeps, runner: AgentRunner, guard: AuthGuard): Hono {
  const routes = new Hono()
  routes.post('/v1/chat/completions', async (c, next) => {
    if (deps.state.config.gateway?.http?.endpoints?.chatCompletions?.enabled !== true) {
      throw new AppError('not_found', '[openai] /v1/chat/completions is disabled; set gateway.http.endpoints.chatCompletions.enabled to true')
    }
    await next()
  }, requireGatewayAuth(deps, guard), async (c) => {
    const body = await readJsonBody(c.req.raw, BODY_LIMITS.chatCompletions, 'openai')
    const parsed = ChatCompletionRequestSchema.safeParse(body)
    if (!parsed.success) {
      throw new AppError('bad_request', `[openai] invalid request: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '<root>'}: ${issue.message}`).join('; ')}`, { cause: parsed.error })
    }
    const request = parsed.data
    const message = toInbound(deps, request, {
      agentHeader: c.req.header('x-clawdbot-agent-id') ?? c.req.header('x-moltbot-agent-id'),
      sessionHeader: c.req.header('x-clawdbot-session-key') ?? c.req.header('x-moltbot-session-key'),
    })
    const handle = runner.send(message)
    const id = `chatcmpl-${handle.runId}`
    const created = Math.floor(deps.now() / 1000)
    c.header('x-clawdbot-session-key', message.sessionKey)

    if (!request.stream) {
      const outcome = await handle.done
      if (outcome.kind === 'failed') throw new AppError('provider_failed', outcome.message)
      const usage = outcome.kind === 'completed' ? outcome.usage : undefined
      return c.json({
        id,
        object: 'chat.completion',
        created,
        model: request.model,
        choices: [{ index: 0, message: { role: 'assistant', content: outcome.text }, finish_reason: finishReason(outcome) }],
        usage: { prompt_tokens: usage?.input ?? 0, completion_tokens: usage?.output ?? 0, total_tokens: usage?.totalTokens ?? 0 },
      })
    }

    return streamSSE(c, async (stream) => {
      const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
        stream.writeSSE({ data: JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra }) })
      // A client that hangs up should not keep a model busy (and billing) for nobody; other callers' runs on the
      // same session are theirs, so only this request's run or queued message goes.
      stream.onAbort(() => {
        handle.cancel()
      })
      await chunk({ role: 'assistant', content: '' }, null)
      const writes: Promise<void>[] = []
      // Tools run server-side; text the model wrote before a tool step is kept apart from the text after it.
      let written = false
      let afterTool = false
      const unsubscribe = handle.subscribe((event) => {
        if (event.type === 'tool-call') afterTool = true
        if (event.type !== 'run-delta') return
        writes.push(chunk({ content: `${afterTool && written ? '\n\n' : ''}${event.delta}` }, null))
        written = true
        afterTool = false
      })
      const outcome: RunOutcome = await handle.done
      unsubscribe()
      await Promise.all(writes)
      if (outcome.kind === 'failed') {
        await stream.writeSSE({ data: JSON.stringify({ error: { message: outcome.message, type: 'provider_failed' } }) })
      } else {
        await chunk({}, finishReason(outcome))
        if (request.stream_options?.include_usage && outcome.kind === 'completed') {
          await stream.writeSSE({ data: JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, choices: [], usage: { prompt_tokens: outcome.usage.input, completion_tokens: outcome.usage.output, total_tokens: outcome.usage.totalTokens } }) })
        }
      }
      await stream.writeSSE({ data: '[DONE]' })
    })
  })
  return routes
}

// OpenAI clients read `length` as "cut off by the token limit"; everything else (including a stop by abort) is `stop`.
function finishReason(outcome: RunOutcome): 'stop' | 'length' {
  return outcome.kind === 'completed' && outcome.stopReason === 'length' ? 'length' : 'stop'
}

function toInbound(deps: AppDeps, request: ChatCompletionRequest, headers: { agentHeader?: string; sessionHeader?: string }): InboundMessage {
  const config = deps.state.config
  const defaultAgentId = getDefaultAgentId(config)
  const wanted = normalizeAgentId(headers.agentHeader ?? agentIdFromModel(request.model) ?? defaultAgentId)
  const known = (config.agents?.list ?? []).some((agent) => agent.id === wanted) || wanted === defaultAgentId
  const agentId = known ? wanted : defaultAgentId
  const lastUser = [...request.messages].reverse().find((message) => message.role === 'user')
  if (!lastUser) throw new AppError('bad_request', '[openai] invalid request: messages must contain at least one user message')
  const { text, images } = toMessageParts(lastUser)

  let sessionKey: string
  let prefix = ''
  if (headers.sessionHeader && headers.sessionHeader.length > TEXT_LIMITS.sessionKey) {
    throw new AppError('bad_request', `[openai] x-clawdbot-session-key is too long: at most ${TEXT_LIMITS.sessionKey} characters`)
  }
  if (headers.sessionHeader) {
    sessionKey = canonicalizeSessionKey(headers.sessionHeader, agentId)
  } else if (request.user) {
    sessionKey = `agent:${agentId}:openai-user:${request.user.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}`
  } else {
    // Without a session the request is self-contained: earlier turns from the request become context.
    sessionKey = `agent:${agentId}:openai:${crypto.randomUUID()}`
    const earlier = request.messages.slice(0, request.messages.lastIndexOf(lastUser))
    const lines = earlier.map((message) => `${message.role}: ${toMessageParts(message).text}`).filter((line) => line.trim().length > 0)
    if (lines.length > 0) prefix = `[Conversation so far]\n${lines.join('\n')}\n\n[Current message]\n`
  }
  const model = agentIdFromModel(request.model) ? undefined : request.model.includes('/') ? request.model : undefined
  return { agentId, sessionKey, text: `${prefix}${text}`, images, channel: 'openai-api', chatType: 'direct', modelOverride: model }
}

