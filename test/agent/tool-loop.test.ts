import { afterEach, describe, expect, it } from 'vitest'
import type { InboundMessage } from '../../src/agent/agent-runner.js'
import { MAX_MODEL_CALLS } from '../../src/agent/run-tool-loop.js'
import { MISSING_TOOL_RESULT_TEXT } from '../../src/agent/repair-tool-pairing.js'
import { anthropicReply, anthropicToolUse } from '../helpers/fake-anthropic-server.js'
import { openAiError, openAiReply, openAiToolCalls } from '../helpers/fake-openai-server.js'
import { startRuntimeFixture } from '../helpers/runtime-fixture.js'

type Fixture = Awaited<ReturnType<typeof startRuntimeFixture>>
let fixture: Fixture | undefined
afterEach(async () => {
  await fixture?.close()
  fixture = undefined
})

const MEMORY = '# Notes\n\n- The user prefers window seats.\n- Flight to Oslo is on Friday at 09:40.\n'

function message(text: string, overrides: Partial<InboundMessage> = {}): InboundMessage {
  return { agentId: 'main', sessionKey: 'agent:main:main', text, channel: 'webchat', chatType: 'direct', ...overrides }
}

async function storedMessages(current: Fixture) {
  const entry = await current.runtime.sessions.store('main').get('agent:main:main')
  const lines = await current.runtime.sessions.transcripts.read('main', entry!.sessionId)
  return lines.flatMap((line) => (line.type === 'message' ? [(line as { message: Record<string, any> }).message] : []))
}

describe('tool loop over the Anthropic Messages API', () => {
  it('runs a streamed tool_use, sends the tool_result back and stores call, result and answer in order', async () => {
    fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } } })
    fixture.workspace.files['/state/workspace/MEMORY.md'] = MEMORY
    fixture.anthropic.script(
      anthropicToolUse([{ id: 'toolu_01', name: 'memory_search', input: { query: 'flight Oslo' } }], { text: 'Let me check.' }),
      anthropicReply(['Your flight is on Friday.']),
    )
    const outcome = await fixture.runtime.send(message('when is my flight?')).done
    expect(outcome).toMatchObject({ kind: 'completed', text: 'Your flight is on Friday.' })

    const [first, second] = fixture.anthropic.requests
    expect(first.body.tools.map((tool: { name: string }) => tool.name)).toEqual(
      expect.arrayContaining(['web_search', 'web_fetch', 'memory_search', 'memory_get', 'write', 'edit', 'sessions_list']),
    )
    expect(first.body.tools.find((tool: { name: string }) => tool.name === 'memory_search').input_schema).toMatchObject({ required: ['query'] })
    expect(second.body.messages.at(-2)).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_01', name: 'memory_search', input: { query: 'flight Oslo' } }],
    })
    const toolResult = second.body.messages.at(-1)
    expect(toolResult.role).toBe('user')
    expect(toolResult.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_01' })
    const payload = JSON.parse(toolResult.content[0].content[0].text)
    expect(payload).toMatchObject({ provider: 'none', results: [{ path: 'MEMORY.md', startLine: 1, source: 'memory' }] })
    expect(payload.results[0].snippet).toContain('Friday at 09:40')

    const stored = await storedMessages(fixture)
    expect(stored.map((item) => [item.role, item.stopReason])).toEqual([
      ['user', undefined],
      ['assistant', 'toolUse'],
      ['toolResult', undefined],
      ['assistant', 'stop'],
    ])
    expect(stored[2]).toMatchObject({ toolCallId: 'toolu_01', toolName: 'memory_search', isError: false, details: { provider: 'none' } })
    const toolEvents = fixture.events.filter((event) => event.type.startsWith('tool-'))
    expect(toolEvents.map((event) => event.type)).toEqual(['tool-call', 'tool-result'])
    expect(toolEvents[0]).toMatchObject({ name: 'memory_search', meta: 'flight Oslo', verbose: false })
  })

  it('answers several calls of one message in call order, with upstream texts for bad arguments and unknown tools', async () => {
    fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } } })
    fixture.workspace.files['/state/workspace/MEMORY.md'] = MEMORY
    fixture.anthropic.script(
      anthropicToolUse([
        { id: 'toolu_a', name: 'memory_get', input: { path: 'MEMORY.md', from: '3', lines: 1 } },
        { id: 'toolu_b', name: 'memory_search', input: { maxResults: 'many' } },
        { id: 'toolu_c', name: 'exec', input: { command: 'ls' } },
        { id: 'toolu_d', name: 'memory_get', rawJson: '{"path": "MEM' },
      ]),
      anthropicReply(['done']),
    )
    await fixture.runtime.send(message('go')).done
    const results = fixture.anthropic.requests[1].body.messages.at(-1).content
    expect(results.map((block: { tool_use_id: string }) => block.tool_use_id)).toEqual(['toolu_a', 'toolu_b', 'toolu_c', 'toolu_d'])
    expect(JSON.parse(results[0].content[0].text)).toEqual({ path: 'MEMORY.md', text: '- The user prefers window seats.' })
    expect(results[1].is_error).toBe(true)
    expect(results[1].content[0].text).toBe(
      'Validation failed for tool "memory_search":\n  - query: must have required property \'query\'\n  - maxResults: must be number\n\nReceived arguments:\n{\n  "maxResults": "many"\n}',
    )
    expect(results[2]).toMatchObject({ is_error: true, content: [{ type: 'text', text: 'Tool exec not found' }] })
    expect(results[3].content[0].text).toContain("  - path: must have required property 'path'")
  })

  it('stops at the model-call cap with a visible error and a paired transcript', async () => {
    fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } } })
    let count = 0
    fixture.anthropic.script(() => anthropicToolUse([{ id: `toolu_${++count}`, name: 'memory_search', input: { query: 'again' } }]))
    const outcome = await fixture.runtime.send(message('loop forever')).done
    expect(outcome).toMatchObject({ kind: 'failed', message: expect.stringContaining(`Stopped after ${MAX_MODEL_CALLS} model calls`) })
    expect(fixture.anthropic.requests).toHaveLength(MAX_MODEL_CALLS)
    const stored = await storedMessages(fixture)
    expect(stored.filter((item) => item.role === 'toolResult')).toHaveLength(MAX_MODEL_CALLS)
    expect(stored.at(-1)).toMatchObject({ role: 'assistant', stopReason: 'error' })
  })
})

describe('tool loop over OpenAI-compatible chat completions', () => {
  it('assembles streamed tool_calls fragments and replies with tool messages', async () => {
    fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'openai/gpt-4o' } } } })
    fixture.workspace.files['/state/workspace/memory/2026-01-28.md'] = 'Dentist appointment moved to Tuesday 15:00.'
    fixture.openai.script(
      openAiToolCalls([
        { id: 'call_1', name: 'memory_search', input: { query: 'dentist appointment' } },
        { id: 'call_2', name: 'memory_get', input: { path: './memory/2026-01-28.md' } },
      ]),
      openAiReply(['Tuesday at 15:00.']),
    )
    const outcome = await fixture.runtime.send(message('when is the dentist?')).done
    expect(outcome).toMatchObject({ kind: 'completed', text: 'Tuesday at 15:00.' })
    const [first, second] = fixture.openai.requests
    expect(first.body.tools[0]).toMatchObject({ type: 'function', function: { name: 'web_search' } })
    const tail = second.body.messages.slice(-3)
    expect(tail[0]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'memory_search', arguments: '{"query":"dentist appointment"}' } },
        { id: 'call_2', type: 'function', function: { name: 'memory_get', arguments: '{"path":"./memory/2026-01-28.md"}' } },
      ],
    })
    expect(tail[1]).toMatchObject({ role: 'tool', tool_call_id: 'call_1' })
    expect(JSON.parse(tail[2].content)).toEqual({ path: 'memory/2026-01-28.md', text: 'Dentist appointment moved to Tuesday 15:00.' })
  })

  it('handles local servers that omit call ids and finish with "stop"', async () => {
    fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'openai/gpt-4o' } } } })
    fixture.openai.script(openAiToolCalls([{ id: 'ignored', name: 'memory_search', input: { query: 'x' } }], { omitIds: true, finishReason: 'stop' }), openAiReply(['ok']))
    const outcome = await fixture.runtime.send(message('hi')).done
    expect(outcome).toMatchObject({ kind: 'completed', text: 'ok' })
    const tail = fixture.openai.requests[1].body.messages.slice(-2)
    expect(tail[1].tool_call_id).toBe(tail[0].tool_calls[0].id)
    expect(tail[0].tool_calls[0].id).toMatch(/^call_0_/)
  })
})

describe('tool transcripts across turns and providers', () => {
  it('replays stored tool calls on the other API after failover, with ids each API accepts', async () => {
    fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'openai/gpt-4o', fallbacks: ['anthropic/claude-opus-4-5'] } } } })
    fixture.openai.script(openAiToolCalls([{ id: 'call:odd/id.1', name: 'memory_search', input: { query: 'seat' } }]), openAiReply(['window seat noted']))
    await fixture.runtime.send(message('seat?')).done
    // The next turn's OpenAI call is rate limited, so Anthropic continues the conversation, tool step included.
    fixture.openai.script(openAiError(429, { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' }))
    fixture.anthropic.script(anthropicReply(['Window, as before.']))
    const outcome = await fixture.runtime.send(message('and again?')).done
    expect(outcome).toMatchObject({ kind: 'completed', model: 'anthropic/claude-opus-4-5' })
    const replay = fixture.anthropic.requests.at(-1)!.body.messages
    const use = replay.flatMap((item: { content: any }) => (Array.isArray(item.content) ? item.content : [])).find((block: { type: string }) => block.type === 'tool_use')
    const result = replay.flatMap((item: { content: any }) => (Array.isArray(item.content) ? item.content : [])).find((block: { type: string }) => block.type === 'tool_result')
    expect(use).toMatchObject({ id: 'call_odd_id_1', name: 'memory_search', input: { query: 'seat' } })
    expect(result.tool_use_id).toBe('call_odd_id_1')
    expect(replay.at(-1)).toEqual({ role: 'user', content: [{ type: 'text', text: 'and again?' }] })
  })

  it('aborts a slow tool through the one run signal and repairs the transcript', async () => {
    fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } } })
    let started!: () => void
    const toolStarted = new Promise<void>((resolve) => (started = resolve))
    let sawAbort = false
    fixture.runtime.tools.addSource({
      id: 'test',
      list: () => [
        {
          name: 'slow_tool',
          label: 'Slow',
          description: 'waits until aborted',
          parameters: { type: 'object', properties: {} },
          execute: (_args, context) =>
            new Promise((_resolve, reject) => {
              started()
              context.signal.addEventListener('abort', () => {
                sawAbort = true
                reject(Object.assign(new Error('Aborted'), { name: 'AbortError' }))
              })
            }),
        },
      ],
    })
    fixture.anthropic.script(anthropicToolUse([{ id: 'toolu_slow', name: 'slow_tool', input: {} }, { id: 'toolu_next', name: 'memory_search', input: { query: 'x' } }]))
    const handle = fixture.runtime.send(message('do the slow thing'))
    await toolStarted
    expect(fixture.runtime.abort('agent:main:main')).toBe(true)
    expect(await handle.done).toMatchObject({ kind: 'aborted' })
    expect(sawAbort).toBe(true)
    const stored = await storedMessages(fixture)
    expect(stored.map((item) => item.role)).toEqual(['user', 'assistant', 'toolResult', 'toolResult', 'assistant'])
    expect(stored.slice(2, 4).map((item) => [item.toolCallId, item.isError, item.content[0].text])).toEqual([
      ['toolu_slow', true, MISSING_TOOL_RESULT_TEXT],
      ['toolu_next', true, MISSING_TOOL_RESULT_TEXT],
    ])
    expect(stored.at(-1)).toMatchObject({ stopReason: 'aborted' })
  })

  it('repairs an unpaired call found in stored history before the next provider request', async () => {
    fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } } })
    fixture.anthropic.script(anthropicReply(['first']))
    await fixture.runtime.send(message('one')).done
    const entry = await fixture.runtime.sessions.store('main').get('agent:main:main')
    await fixture.runtime.sessions.append('main', entry!.sessionId, [
      { type: 'message', id: 'dead0001', parentId: null, timestamp: new Date().toISOString(), message: { role: 'assistant', content: [{ type: 'toolCall', id: 'toolu_lost', name: 'web_search', arguments: { query: 'q' } }], stopReason: 'toolUse', timestamp: Date.now() } },
    ])
    fixture.anthropic.script(anthropicReply(['second']))
    await fixture.runtime.send(message('two')).done
    const messages = fixture.anthropic.requests.at(-1)!.body.messages
    const repaired = messages.at(-1)
    expect(repaired.role).toBe('user')
    expect(repaired.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_lost', is_error: true, content: [{ type: 'text', text: MISSING_TOOL_RESULT_TEXT }] })
    expect(repaired.content[1]).toEqual({ type: 'text', text: 'two' })
  })
})

describe('run timeout over model and tools', () => {
  it('aborts a tool that outlives agents.defaults.timeoutSeconds and says the request timed out', async () => {
    fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' }, timeoutSeconds: 90 } } })
    // Time is driven by hand: the run's deadline fires only when the test says so.
    const timers: { delayMs: number; callback: () => void; cancelled: boolean }[] = []
    fixture.deps.scheduler = {
      after: (delayMs, callback) => {
        const timer = { delayMs, callback, cancelled: false }
        timers.push(timer)
        return () => void (timer.cancelled = true)
      },
      every: () => () => {},
      wakeAt: () => {},
    }
    let started!: () => void
    const toolStarted = new Promise<void>((resolve) => (started = resolve))
    let reason: unknown
    fixture.runtime.tools.addSource({
      id: 'test',
      list: () => [
        {
          name: 'slow_tool',
          label: 'Slow',
          description: 'waits until aborted',
          parameters: { type: 'object', properties: {} },
          execute: (_args, context) =>
            new Promise((_resolve, reject) => {
              started()
              context.signal.addEventListener('abort', () => {
                reason = 'aborted'
                reject(Object.assign(new Error('Aborted'), { name: 'AbortError' }))
              })
            }),
        },
      ],
    })
    fixture.anthropic.script(anthropicToolUse([{ id: 'toolu_t', name: 'slow_tool', input: {} }]))
    const handle = fixture.runtime.send(message('slow please'))
    await toolStarted
    const deadline = timers.find((timer) => timer.delayMs === 90_000 && !timer.cancelled)
    expect(deadline).toBeDefined()
    deadline!.callback()
    expect(await handle.done).toMatchObject({ kind: 'failed', message: 'LLM request timed out.' })
    expect(reason).toBe('aborted')
    const stored = await storedMessages(fixture)
    expect(stored.map((item) => item.role)).toEqual(['user', 'assistant', 'toolResult', 'assistant'])
    expect(stored[2]).toMatchObject({ toolCallId: 'toolu_t', isError: true })
    expect(stored[3]).toMatchObject({ stopReason: 'error' })
  })
})
