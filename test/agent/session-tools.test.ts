import { afterEach, describe, expect, it } from 'vitest'
import { anthropicReply, anthropicToolUse, type RecordedRequest } from '../helpers/fake-anthropic-server.js'
import { startRuntimeFixture } from '../helpers/runtime-fixture.js'

type Fixture = Awaited<ReturnType<typeof startRuntimeFixture>>
let fixture: Fixture | undefined
afterEach(async () => {
  await fixture?.close()
  fixture = undefined
})

const resultOf = (request: RecordedRequest, index = 0) => JSON.parse(request.body.messages.at(-1).content[index].content[0].text)
const ask = (current: Fixture, text: string, sessionKey = 'agent:main:main') =>
  current.runtime.send({ agentId: 'main', sessionKey, text, channel: 'webchat', chatType: 'direct' }).done

describe('session tools', () => {
  it('lists sessions, reads another session and sends it a message, waiting for its reply', async () => {
    fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } } })
    fixture.anthropic.script(anthropicReply(['Noted: buy milk.']))
    await ask(fixture, 'shopping: buy milk', 'agent:main:discord:channel:42')
    await fixture.runtime.sessions.store('main').update('agent:main:discord:channel:42', (entry) => entry && { ...entry, label: 'groceries' })

    fixture.anthropic.script(
      anthropicToolUse([
        { id: 'toolu_l', name: 'sessions_list', input: { messageLimit: 1 } },
        { id: 'toolu_h', name: 'sessions_history', input: { sessionKey: 'agent:main:discord:channel:42' } },
        { id: 'toolu_s', name: 'sessions_send', input: { label: 'groceries', message: 'add eggs' } },
        { id: 'toolu_self', name: 'sessions_send', input: { sessionKey: 'main', message: 'loop' } },
        { id: 'toolu_both', name: 'sessions_send', input: { sessionKey: 'x', label: 'y', message: 'z' } },
      ]),
      // The groceries session answers the sent message while the main run waits.
      anthropicReply(['Eggs added.']),
      anthropicReply(['All done.']),
    )
    expect(await ask(fixture, 'check my other chats')).toMatchObject({ kind: 'completed', text: 'All done.' })
    const final = fixture.anthropic.requests.at(-1)!
    const list = resultOf(final, 0)
    const groceries = list.sessions.find((row: { key: string }) => row.key === 'agent:main:discord:channel:42')
    expect(groceries).toMatchObject({ kind: 'group', channel: 'webchat', label: 'groceries', messages: [{ role: 'assistant' }] })
    expect(resultOf(final, 1)).toMatchObject({ sessionKey: 'agent:main:discord:channel:42', messages: [{ role: 'user' }, { role: 'assistant', content: [{ type: 'text', text: 'Noted: buy milk.' }] }] })
    expect(resultOf(final, 2)).toMatchObject({ status: 'ok', reply: 'Eggs added.', sessionKey: 'agent:main:discord:channel:42', delivery: { status: 'pending', mode: 'announce' } })
    expect(resultOf(final, 3)).toMatchObject({ status: 'error', error: 'sessions_send cannot target the current session' })
    expect(resultOf(final, 4)).toMatchObject({ status: 'error', error: 'Provide either sessionKey or label (not both).' })
  })

  it('refuses other agents unless tools.agentToAgent allows them, with upstream wording', async () => {
    fixture = await startRuntimeFixture({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } }, list: [{ id: 'main', default: true }, { id: 'work' }] } })
    fixture.anthropic.script(anthropicToolUse([{ id: 'toolu_x', name: 'sessions_history', input: { sessionKey: 'agent:work:main' } }]), anthropicReply(['ok']))
    await ask(fixture, 'peek at work')
    expect(resultOf(fixture.anthropic.requests.at(-1)!)).toEqual({
      status: 'forbidden',
      error: 'Agent-to-agent history is disabled. Set tools.agentToAgent.enabled=true to allow cross-agent access.',
    })
  })
})
