import { configOf } from '../helpers/config-of.js'
import { afterEach, describe, it, expect } from 'vitest'
import { anthropicError, anthropicReply, gate, type Gate, type RecordedRequest } from '../helpers/fake-anthropic-server.js'
import { openAiError, openAiReply } from '../helpers/fake-openai-server.js'
import { startRuntimeFixture, lastUserText } from '../helpers/runtime-fixture.js'
import type { InboundMessage } from '../../src/agent/agent-runner.js'

type Fixture = Awaited<ReturnType<typeof startRuntimeFixture>>
let fixture: Fixture | undefined
afterEach(async () => {
  await fixture?.close()
  fixture = undefined
})

function message(text: string, overrides: Partial<InboundMessage> = {}): InboundMessage {
  return { agentId: 'main', sessionKey: 'agent:main:main', text, channel: 'webchat', chatType: 'direct', ...overrides }
}

async function transcript(current: Fixture, sessionKey = 'agent:main:main') {
  const entry = await current.runtime.sessions.store('main').get(sessionKey)
  const entries = await current.runtime.sessions.transcripts.read('main', entry!.sessionId)
  return { entry: entry!, messages: entries.flatMap((line) => (line.type === 'message' ? [(line as { message: { role: string; stopReason?: string; content: unknown } }).message] : [])) }
}

describe('agent runtime with real SDKs against fake providers', () => {
  it('streams cumulative deltas, then saves both messages before the single run-end', async () => {
    fixture = await startRuntimeFixture()
    const current = fixture
    current.anthropic.script(anthropicReply(['Hel', 'lo ', 'there'], { usage: { input: 12, output: 3 } }))
    const handle = current.runtime.send(message('hi'))
    let savedAtEnd: Promise<Awaited<ReturnType<typeof transcript>>> | undefined
    handle.subscribe((event) => {
      if (event.type === 'run-end') savedAtEnd = transcript(current)
    })
    const outcome = await handle.done
    expect(outcome).toMatchObject({ kind: 'completed', text: 'Hello there', model: 'anthropic/claude-opus-4-5' })
    const deltas = current.events.filter((event) => event.type === 'run-delta').map((event) => (event as { text: string }).text)
    expect(deltas).toEqual(['Hel', 'Hello ', 'Hello there'])
    expect(current.events.filter((event) => ['run-end', 'run-error', 'run-abort'].includes(event.type))).toHaveLength(1)
    const saved = await savedAtEnd!
    expect(saved.messages.map((entry) => entry.role)).toEqual(['user', 'assistant'])
    expect(saved.entry).toMatchObject({ inputTokens: 12, outputTokens: 3, model: 'claude-opus-4-5', modelProvider: 'anthropic' })
    const request = current.anthropic.requests[0]
    expect(request.headers.authorization).toBe('Bearer sk-ant-test-key')
    expect(request.body.system).toEqual([{ type: 'text', text: expect.stringContaining('personal assistant') }])
  })

  it('falls back to openai/gpt-4o when the primary answers 529 overloaded_error (spec vector 9)', async () => {
    fixture = await startRuntimeFixture()
    fixture.anthropic.script(anthropicError(529, 'overloaded_error', 'Overloaded'))
    fixture.openai.script(openAiReply(['from ', 'gpt-4o']))
    const outcome = await fixture.runtime.send(message('hi')).done
    expect(outcome).toMatchObject({ kind: 'completed', text: 'from gpt-4o', model: 'openai/gpt-4o' })
    expect(fixture.openai.requests).toHaveLength(1)
    expect(fixture.openai.requests[0].headers.authorization).toBe('Bearer sk-openai-test-key')
  })

  it('does not fall back on a plain 500, and tells the user (spec vector 9)', async () => {
    fixture = await startRuntimeFixture()
    fixture.anthropic.script(anthropicError(500, 'api_error', 'Internal server error'))
    const outcome = await fixture.runtime.send(message('hi')).done
    expect(outcome.kind).toBe('failed')
    expect(fixture.openai.requests).toHaveLength(0)
    expect((outcome as { message: string }).message).toContain('Agent failed before reply')
    const saved = await transcript(fixture)
    expect(saved.messages.at(-1)).toMatchObject({ role: 'assistant', stopReason: 'error' })
  })

  it('skips a fallback outside the agents.defaults.models allowlist silently (spec vector 10)', async () => {
    fixture = await startRuntimeFixture({
      agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-4o'] }, models: { 'anthropic/claude-opus-4-5': {} } } },
    })
    fixture.anthropic.script(anthropicError(529, 'overloaded_error', 'Overloaded'))
    const outcome = await fixture.runtime.send(message('hi')).done
    expect(outcome).toMatchObject({ kind: 'failed', message: 'The AI service is temporarily overloaded. Please try again in a moment.' })
    expect(fixture.openai.requests).toHaveLength(0)
  })

  it('aborts mid-stream: the provider request is cancelled and an aborted turn is recorded', async () => {
    fixture = await startRuntimeFixture()
    const hold = gate()
    fixture.anthropic.script(anthropicReply(['partial ', hold, 'never sent']))
    const handle = fixture.runtime.send(message('tell me a story'))
    await hold.reached
    await expect.poll(() => fixture!.events.some((event) => event.type === 'run-delta')).toBe(true)
    expect(fixture.runtime.abort('agent:main:main')).toBe(true)
    const outcome = await handle.done
    expect(outcome).toEqual({ kind: 'aborted', runId: handle.runId, text: 'partial ' })
    await fixture.anthropic.requests[0].settled
    expect(fixture.anthropic.requests[0].aborted).toBe(true)
    hold.open()
    const saved = await transcript(fixture)
    expect(saved.messages.at(-1)).toMatchObject({ role: 'assistant', stopReason: 'aborted', content: [{ type: 'text', text: 'partial ' }] })
    expect(saved.entry.abortedLastRun).toBe(true)
    expect(fixture.events.filter((event) => event.type === 'run-abort')).toHaveLength(1)
  })

  it('sends earlier turns as history on the next message', async () => {
    fixture = await startRuntimeFixture()
    fixture.anthropic.script(anthropicReply(['first answer']), anthropicReply(['second answer']))
    await fixture.runtime.send(message('first question')).done
    await fixture.runtime.send(message('second question')).done
    expect(fixture.anthropic.requests[1].body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'first question' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'first answer' }] },
      { role: 'user', content: [{ type: 'text', text: 'second question' }] },
    ])
  })

  it('starts a new session on /new and switches model with /new <model>', async () => {
    fixture = await startRuntimeFixture()
    fixture.anthropic.script(anthropicReply(['one']), anthropicReply(['hello again']))
    fixture.openai.script(openAiReply(['from gpt']))
    await fixture.runtime.send(message('remember 42')).done
    const before = await transcript(fixture)
    const greeting = await fixture.runtime.send(message('/new')).done
    expect(greeting).toMatchObject({ kind: 'completed', text: 'hello again' })
    const after = await transcript(fixture)
    expect(after.entry.sessionId).not.toBe(before.entry.sessionId)
    expect(fixture.anthropic.requests[1].body.messages).toHaveLength(1)
    const switched = await fixture.runtime.send(message('/new openai/gpt-4o what now?')).done
    expect(switched).toMatchObject({ kind: 'completed', model: 'openai/gpt-4o' })
    expect(lastUserText(fixture.openai.requests[0].body)).toBe('what now?')
    expect((await transcript(fixture)).entry.modelOverride).toBe('openai/gpt-4o')
  })

  it('collects messages that arrive during a run into one follow-up turn (Discord default)', async () => {
    fixture = await startRuntimeFixture({ messages: { queue: { mode: 'collect', debounceMs: 0 } } })
    const hold = gate()
    fixture.anthropic.script(anthropicReply([hold, 'first reply']), anthropicReply(['merged reply']))
    const discord = (text: string, user: string) => message(text, { channel: 'discord', chatType: 'channel', sessionKey: 'agent:main:discord:channel:1', senderLabel: user })
    const first = fixture.runtime.send(discord('question one', 'ann'))
    await hold.reached
    const second = fixture.runtime.send(discord('also this', 'bob'))
    const third = fixture.runtime.send(discord('and that', 'cy'))
    expect(second.status).toBe('merged')
    hold.open()
    expect(await first.done).toMatchObject({ text: 'first reply' })
    expect(await second.done).toMatchObject({ kind: 'completed', text: 'merged reply' })
    expect(await third.done).toMatchObject({ kind: 'completed', text: 'merged reply' })
    expect(fixture.anthropic.requests).toHaveLength(2)
    expect(lastUserText(fixture.anthropic.requests[1].body)).toBe('bob: also this\n\ncy: and that')
  })
})

describe('agent runtime images', () => {
  const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

  it('sends images to a vision model and a note instead to a model declared text-only', async () => {
    fixture = await startRuntimeFixture()
    const current = fixture
    current.anthropic.script(anthropicReply(['I see a pixel']))
    await current.runtime.send(message('what is this?', { images: [{ data: PIXEL, mimeType: 'image/png' }] })).done
    expect(current.anthropic.requests[0].body.messages[0].content).toContainEqual({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL } })

    current.deps.state.config = (await configOf({
      models: { providers: { local: { baseUrl: current.openai.url, api: 'openai-completions', models: [{ id: 'llama', name: 'Llama', input: ['text'] }] } } },
      agents: { defaults: { model: { primary: 'local/llama' } } },
    }))
    current.openai.script(openAiReply(['no eyes']))
    const outcome = await current.runtime.send(message('and this?', { sessionKey: 'agent:main:text-only', images: [{ data: PIXEL, mimeType: 'image/png' }] })).done
    expect(outcome).toMatchObject({ kind: 'completed', text: 'no eyes' })
    const sent = JSON.stringify(current.openai.requests[0].body.messages)
    expect(sent).not.toContain(PIXEL)
    expect(sent).toContain('[image omitted: local/llama does not accept images]')
  })
})

describe('agent runtime concurrency', () => {
  it('never has more than maxConcurrent provider requests in flight and answers each session in order', async () => {
    fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' }, maxConcurrent: 2 } } })
    const arrivals: { request: RecordedRequest; hold: Gate }[] = []
    let notify: (() => void) | undefined
    let settled = 0
    let maxInFlight = 0
    fixture.anthropic.script((request) => {
      const hold = gate()
      arrivals.push({ request, hold })
      void request.settled.then(() => settled++)
      maxInFlight = Math.max(maxInFlight, arrivals.length - settled)
      notify?.()
      return anthropicReply([hold, `answer to ${lastUserText(request.body)}`])
    })
    const sessions = ['s1', 's2', 's3', 's4', 's5']
    const handles = sessions.flatMap((session) =>
      [1, 2, 3].map((index) => fixture!.runtime.send(message(`${session}-m${index}`, { sessionKey: `agent:main:${session}` }))),
    )
    for (let released = 0; released < 15; released++) {
      // Hold each request until the next one is in flight too, so a third over the limit would have to show up.
      const wanted = Math.min(released + 2, 15)
      while (arrivals.length < wanted) await new Promise<void>((resolve) => (notify = resolve))
      arrivals[released].hold.open()
      await arrivals[released].request.settled
    }
    const outcomes = await Promise.all(handles.map((handle) => handle.done))
    expect(outcomes.every((outcome) => outcome.kind === 'completed')).toBe(true)
    expect(maxInFlight).toBeLessThanOrEqual(2)
    expect(maxInFlight).toBe(2)
    for (const session of sessions) {
      const order = arrivals.map((arrival) => lastUserText(arrival.request.body)).filter((text) => text.startsWith(`${session}-`))
      expect(order).toEqual([`${session}-m1`, `${session}-m2`, `${session}-m3`])
    }
  })
})
