import { describe, expect, it } from 'vitest'
import { anthropicReply, gate } from '../helpers/fake-anthropic-server.js'
import { controlUiConnectParams, type Frame } from '../helpers/ws-client.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { callExpectFinal, cliAgentOutput, cliAgentParams, startApiFixture } from './api-fixture.js'

const agentEvent = (runId: string, stream?: string) => (frame: Frame) =>
  frame.type === 'event' && frame.event === 'agent' && frame.payload?.runId === runId && (stream === undefined || frame.payload.stream === stream)

describe('agent over the control socket (spec/agent-api.md §1, §7 checks 1–3)', () => {
  it('check 1: --session-id x answers an ack and a final under one id, and the CLI would print exactly "pong"', async () => {
    const { anthropic, connect } = await startApiFixture()
    anthropic.script(anthropicReply(['po', 'ng'], { usage: { input: 12, output: 3 } }))
    const client = await connect()
    const params = cliAgentParams('Say only: pong', { sessionId: 'x' })
    const { final, responses } = await callExpectFinal(client, 'agent', params)
    expect(responses).toHaveLength(2)
    expect(responses[0]).toMatchObject({ ok: true, payload: { runId: params.idempotencyKey, status: 'accepted', acceptedAt: expect.any(Number) } })
    expect(final).toMatchObject({
      ok: true,
      payload: {
        runId: params.idempotencyKey,
        status: 'ok',
        summary: 'completed',
        result: {
          payloads: [{ text: 'pong', mediaUrl: null }],
          meta: { durationMs: expect.any(Number), agentMeta: { sessionId: 'x', provider: 'anthropic', model: 'claude-opus-4-5', usage: { input: 12, output: 3, total: 15 } } },
        },
      },
    })
    expect(cliAgentOutput(final.payload)).toBe('pong')
    expect(anthropic.requests).toHaveLength(1)
  })

  it('a silent reply has no payloads, so the CLI prints "completed"', async () => {
    const { anthropic, connect } = await startApiFixture()
    anthropic.script(anthropicReply(['NO_REPLY']))
    const client = await connect()
    const { final } = await callExpectFinal(client, 'agent', cliAgentParams('stay quiet', { sessionId: 'quiet' }))
    expect(final.payload.result.payloads).toEqual([])
    expect(cliAgentOutput(final.payload)).toBe('completed')
  })

  it('check 2: --agent main runs in agent:main:main, refreshes updatedAt and streams chat and agent events', async () => {
    const { anthropic, connect, gateway } = await startApiFixture()
    const hold = gate()
    anthropic.script(anthropicReply(['po', hold, 'ng']))
    const ui = await connect(controlUiConnectParams({ token: TEST_TOKEN }))
    await ui.request('chat.history', { sessionKey: 'main' })
    const client = await connect()
    gateway.advance(60_000)
    const params = cliAgentParams('Say only: pong', { agentId: 'main' })
    const pending = callExpectFinal(client, 'agent', params)
    await client.waitFor((frame) => frame.id !== undefined && frame.payload?.status === 'accepted')
    // Written before the ack, as upstream does.
    const listed = await ui.request('sessions.list', {})
    const main = listed.payload.sessions.find((row: { key: string }) => row.key === 'agent:main:main')
    expect(main.updatedAt).toBe(gateway.deps.now())
    const delta = await ui.waitFor((frame) => frame.event === 'chat' && frame.payload?.runId === params.idempotencyKey && frame.payload.state === 'delta')
    expect(delta.payload.sessionKey).toBe('main')
    hold.open()
    const { final } = await pending
    expect(cliAgentOutput(final.payload)).toBe('pong')
    await ui.waitFor((frame) => frame.event === 'chat' && frame.payload?.runId === params.idempotencyKey && frame.payload.state === 'final')
    const lifecycle = ui.received.filter(agentEvent(params.idempotencyKey, 'lifecycle')).map((frame) => frame.payload.data.phase)
    expect(lifecycle).toEqual(['start', 'end'])
    const seqs = ui.received.filter(agentEvent(params.idempotencyKey)).map((frame) => frame.payload.seq)
    expect(seqs).toEqual(seqs.map((_, index) => index + 1))
    expect(ui.received.find(agentEvent(params.idempotencyKey, 'assistant'))?.payload).toMatchObject({ sessionKey: 'main', data: { text: 'po', delta: 'po' } })
  })

  it('check 3: --deliver --channel discord --reply-to channel:<id> posts the reply and still returns it', async () => {
    const { anthropic, discord, connect } = await startApiFixture()
    anthropic.script(anthropicReply(['hello ', 'there']))
    const client = await connect()
    const { final } = await callExpectFinal(client, 'agent', cliAgentParams('hi', { sessionId: 'x', deliver: true, channel: 'discord', replyTo: 'channel:4242' }))
    expect(final.ok).toBe(true)
    expect(cliAgentOutput(final.payload)).toBe('hello there')
    const post = discord.writes().find((call) => call.path === '/channels/4242/messages')
    expect(post?.body).toMatchObject({ content: 'hello there', allowed_mentions: { parse: [] } })
    expect(post?.authorization).toBe('Bot api-test-discord-bot-token')
  })

  it('check 3 errors: ambiguous digits and a missing target fail the final; an unknown channel fails before any run', async () => {
    const { anthropic, discord, connect } = await startApiFixture()
    const client = await connect()
    const digits = await callExpectFinal(client, 'agent', cliAgentParams('hi', { sessionId: 'x', deliver: true, channel: 'discord', replyTo: '123' }))
    expect(digits.responses[0]?.payload.status).toBe('accepted')
    expect(digits.final).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'Error: Ambiguous Discord recipient "123". Use "user:123" for DMs or "channel:123" for channel messages.' },
      payload: { status: 'error', summary: expect.stringContaining('Ambiguous Discord recipient') },
    })
    const missing = await callExpectFinal(client, 'agent', cliAgentParams('hi', { sessionId: 'y', deliver: true, channel: 'discord' }))
    expect(missing.final.error?.message).toBe('Error: Delivering to Discord requires target <channelId|user:ID|channel:ID>')
    const unknown = await callExpectFinal(client, 'agent', cliAgentParams('hi', { sessionId: 'z', channel: 'foo' }))
    expect(unknown.responses).toHaveLength(1)
    expect(unknown.final.error).toEqual({ code: 'INVALID_REQUEST', message: 'invalid agent params: unknown channel: foo' })
    // Our improvement: the target is checked before the model runs, so nothing was billed or posted.
    expect(anthropic.requests).toHaveLength(0)
    expect(discord.writes()).toHaveLength(0)
  })

  it('delivery from the main session is best effort: a bad target is logged and the run still succeeds', async () => {
    const { anthropic, discord, gateway, connect } = await startApiFixture()
    anthropic.script(anthropicReply(['fine']))
    const client = await connect()
    const { final } = await callExpectFinal(client, 'agent', cliAgentParams('hi', { agentId: 'main', deliver: true, channel: 'discord', to: '123' }))
    expect(final.ok).toBe(true)
    expect(cliAgentOutput(final.payload)).toBe('fine')
    expect(discord.writes()).toHaveLength(0)
    expect(gateway.records.some((record) => record.message.includes('Delivery failed (discord to 123): ') && record.message.includes('Ambiguous'))).toBe(true)
  })

  it('appends extraSystemPrompt to this turn\'s system prompt only', async () => {
    const { anthropic, connect } = await startApiFixture()
    anthropic.script(anthropicReply(['one']), anthropicReply(['two']))
    const client = await connect()
    await callExpectFinal(client, 'agent', cliAgentParams('hi', { sessionId: 'sys', extraSystemPrompt: 'You are a sub-agent: answer in French.' }))
    await callExpectFinal(client, 'agent', cliAgentParams('again', { sessionId: 'sys' }))
    const systemText = (index: number) => JSON.stringify(anthropic.requests[index]!.body.system)
    expect(systemText(0)).toContain('You are a sub-agent: answer in French.')
    expect(systemText(1)).not.toContain('sub-agent')
  })

  it('sends image attachments to the model and drops other kinds', async () => {
    const { anthropic, connect } = await startApiFixture()
    anthropic.script(anthropicReply(['a red dot']))
    const client = await connect()
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
    const attachments = [{ type: 'image', mimeType: 'image/png', fileName: 'dot.png', content: png }, { mimeType: 'text/plain', fileName: 'notes.txt', content: 'aGk=' }]
    const { final } = await callExpectFinal(client, 'agent', cliAgentParams('what is this?', { sessionId: 'img', attachments }))
    expect(final.ok).toBe(true)
    const content = anthropic.requests[0]!.body.messages.at(-1).content
    expect(content.filter((part: { type: string }) => part.type === 'image')).toEqual([{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }])
  })

  it('checks params in upstream order and wording', async () => {
    const { gateway, connect } = await startApiFixture({ configText: '{ gateway: { mode: "local" }, agents: { list: [{ id: "main", default: true }, { id: "work" }] } }' })
    const client = await connect()
    const call = async (params: unknown) => (await client.request('agent', params)).error?.message
    expect(await call({ message: 'hi', idempotencyKey: 'k', verbose: 'on' })).toBe("invalid agent params: at root: unexpected property 'verbose'")
    expect(await call({ message: 'hi' })).toBe("invalid agent params: must have required property 'idempotencyKey'")
    expect(await call({ idempotencyKey: 'k' })).toBe("invalid agent params: must have required property 'message'")
    expect(await call({ message: 'hi', idempotencyKey: 'k', attachments: [{ content: 42 }] })).toBe('Error: attachment attachment-1: content must be base64 string')
    expect(await call({ message: 'hi', idempotencyKey: 'k', attachments: [{ fileName: 'a.png', content: 'not base64!' }] })).toBe('Error: attachment a.png: invalid base64 content')
    expect(await call({ message: 'hi', idempotencyKey: 'k', agentId: 'ghost' })).toBe('invalid agent params: unknown agent id "ghost"')
    expect(await call({ message: 'hi', idempotencyKey: 'k', agentId: 'work', sessionKey: 'agent:main:main' })).toBe(
      'invalid agent params: agent "work" does not match session key agent "main"',
    )
    await gateway.deps.storage.setItem('agents:main:sessions:sessions.json', { 'agent:main:blocked': { sessionId: 's1', updatedAt: 1, sendPolicy: 'deny' } })
    expect(await call({ message: 'hi', idempotencyKey: 'k', sessionKey: 'blocked' })).toBe('send blocked by session policy')
  })

  it('reports bad thinking and timeout 0 as final errors after the ack, and agent.wait sees them end', async () => {
    const { anthropic, connect } = await startApiFixture()
    const client = await connect()
    const thinking = await callExpectFinal(client, 'agent', cliAgentParams('hi', { sessionId: 'x', thinking: 'extreme', idempotencyKey: 'think-1' }))
    expect(thinking.responses[0]?.payload.status).toBe('accepted')
    expect(thinking.final.error?.message).toBe('Error: Invalid thinking level. Use one of: off, minimal, low, medium, high, xhigh.')
    const zero = await callExpectFinal(client, 'agent', cliAgentParams('hi', { sessionId: 'x', timeout: 0 }))
    expect(zero.final.error?.message).toBe('Error: --timeout must be a positive integer (seconds)')
    const wait = await client.request('agent.wait', { runId: 'think-1', timeoutMs: 0 })
    expect(wait.payload).toMatchObject({ runId: 'think-1', status: 'error', error: expect.stringContaining('Invalid thinking level') })
    expect(anthropic.requests).toHaveLength(0)
  })

  it('replays a repeated idempotency key, attaching a retry to the running job instead of running twice', async () => {
    const { anthropic, connect } = await startApiFixture()
    const hold = gate()
    anthropic.script(anthropicReply(['once', hold]))
    const client = await connect()
    const params = cliAgentParams('hi', { sessionId: 'x' })
    const first = callExpectFinal(client, 'agent', params)
    await hold.reached
    const second = callExpectFinal(client, 'agent', params)
    hold.open()
    const [one, two] = await Promise.all([first, second])
    expect(two.responses.map((frame) => frame.payload.status)).toEqual(['accepted', 'ok'])
    expect(two.final.payload).toEqual(one.final.payload)
    const third = await callExpectFinal(client, 'agent', params)
    expect(third.final.payload).toEqual(one.final.payload)
    expect(anthropic.requests).toHaveLength(1)
    // Two identical requests sent back to back (before either is accepted) still make one run.
    anthropic.script(anthropicReply(['twin']))
    const twin = cliAgentParams('again', { sessionId: 'twin' })
    const both = await Promise.all([callExpectFinal(client, 'agent', twin), callExpectFinal(client, 'agent', twin)])
    expect(both[1].final.payload).toEqual(both[0].final.payload)
    expect(anthropic.requests).toHaveLength(2)
  })

  it('agent.wait returns a finished run at once and times out on an unknown id (check 10)', async () => {
    const { anthropic, connect } = await startApiFixture()
    anthropic.script(anthropicReply(['done']))
    const client = await connect()
    const params = cliAgentParams('hi', { sessionId: 'x' })
    await callExpectFinal(client, 'agent', params)
    const done = await client.request('agent.wait', { runId: params.idempotencyKey, timeoutMs: 1000 })
    expect(done.payload).toEqual({ runId: params.idempotencyKey, status: 'ok', startedAt: expect.any(Number), endedAt: expect.any(Number) })
    const unknown = await client.request('agent.wait', { runId: 'nobody', timeoutMs: 50 })
    expect(unknown.payload).toEqual({ runId: 'nobody', status: 'timeout' })
    expect((await client.request('agent.wait', { runId: 'x', extra: 1 })).error?.message).toBe("invalid agent.wait params: at root: unexpected property 'extra'")
  })
})
