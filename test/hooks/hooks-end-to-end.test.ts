import { describe, expect, it } from 'vitest'
import { anthropicReply } from '../helpers/fake-anthropic-server.js'
import { lastUserText } from '../helpers/runtime-fixture.js'
import { callExpectFinal, cliAgentParams, startApiFixture } from '../agent-api/api-fixture.js'

const HOOK_TOKEN = 'e2e-hook-token'
const CONFIG = `{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } },
  hooks: { enabled: true, token: "${HOOK_TOKEN}", mappings: [{ match: { path: "github" }, name: "GitHub",
    messageTemplate: "Summarise for the team: {{repository.full_name}} {{action}} #{{issue.number}} {{issue.title}}",
    channel: "discord", to: "channel:3131" }] } }`

describe('hooks end to end (§7 check 11)', () => {
  it('a /hooks/agent call lands the reply in a Discord channel and tells the main session', async () => {
    const { anthropic, discord, gateway, connect } = await startApiFixture({ configText: CONFIG })
    anthropic.script(anthropicReply(['Build is ', 'green.']))
    const response = await fetch(`${gateway.httpUrl}/hooks/agent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${HOOK_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'summarize the CI run', channel: 'discord', to: 'channel:2024' }),
    })
    expect(response.status).toBe(202)
    const { runId } = await response.json()
    const post = await discord.waitFor((call) => call.method === 'POST' && call.path === '/channels/2024/messages')
    expect(post.body.content).toBe('Build is green.')
    expect(lastUserText(anthropic.requests[0]!.body)).toMatch(new RegExp(`^\\[cron:${runId} Hook\\] summarize the CI run\\nCurrent time: .+ \\(UTC\\)$`))
    await Promise.allSettled(gateway.background)
    // The summary waits on the main session and reaches the model with its next turn.
    anthropic.script(anthropicReply(['noted']))
    const client = await connect()
    await callExpectFinal(client, 'agent', cliAgentParams('anything new?', { agentId: 'main' }))
    const prompt = lastUserText(anthropic.requests[1]!.body)
    expect(prompt).toMatch(/^System: \[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\] Hook Hook: Build is green\.\n\nanything new\?$/)
  })

  it('a GitHub-style mapped hook is summarised into its configured Discord channel; /hooks/wake queues a note', async () => {
    const { anthropic, discord, gateway, connect } = await startApiFixture({ configText: CONFIG })
    anthropic.script(anthropicReply(['Issue #7 opened: login fails on Safari.']))
    const github = await fetch(`${gateway.httpUrl}/hooks/github`, {
      method: 'POST',
      headers: { 'x-clawdbot-token': HOOK_TOKEN, 'content-type': 'application/json', 'x-github-event': 'issues' },
      body: JSON.stringify({ action: 'opened', issue: { number: 7, title: 'Login fails on Safari' }, repository: { full_name: 'acme/web' } }),
    })
    expect(github.status).toBe(202)
    const post = await discord.waitFor((call) => call.method === 'POST' && call.path === '/channels/3131/messages')
    expect(post.body.content).toBe('Issue #7 opened: login fails on Safari.')
    expect(lastUserText(anthropic.requests[0]!.body)).toContain('Summarise for the team: acme/web opened #7 Login fails on Safari')
    await Promise.allSettled(gateway.background)
    const wake = await fetch(`${gateway.httpUrl}/hooks/wake`, {
      method: 'POST',
      headers: { authorization: `Bearer ${HOOK_TOKEN}` },
      body: JSON.stringify({ text: 'Door bell rang', mode: 'next-heartbeat' }),
    })
    expect(await wake.json()).toEqual({ ok: true, mode: 'next-heartbeat' })
    anthropic.script(anthropicReply(['ok']))
    await callExpectFinal(await connect(), 'agent', cliAgentParams('hi', { agentId: 'main' }))
    const prompt = lastUserText(anthropic.requests[1]!.body)
    expect(prompt).toContain('] Hook GitHub: Issue #7 opened')
    expect(prompt).toContain('] Door bell rang\n\nhi')
  })

  it('reusing a sessionKey continues that conversation, always under the default agent', async () => {
    const { anthropic, gateway, connect } = await startApiFixture({ configText: CONFIG })
    const send = (message: string) =>
      fetch(`${gateway.httpUrl}/hooks/agent`, { method: 'POST', headers: { authorization: `Bearer ${HOOK_TOKEN}` }, body: JSON.stringify({ message, sessionKey: 'agent:other:ci', deliver: false }) })
    anthropic.script(anthropicReply(['first answer']))
    expect((await send('first')).status).toBe(202)
    await Promise.allSettled(gateway.background)
    anthropic.script(anthropicReply(['second answer']))
    expect((await send('second')).status).toBe(202)
    await Promise.allSettled(gateway.background)
    const roles = anthropic.requests[1]!.body.messages.map((message: { role: string }) => message.role)
    expect(roles).toEqual(['user', 'assistant', 'user'])
    const listed = (await (await connect()).request('sessions.list', {})).payload.sessions.map((row: { key: string }) => row.key)
    expect(listed).toContain('agent:main:agent:other:ci')
  })

  it('reports a missing recipient into the main session instead of running nowhere', async () => {
    const { anthropic, discord, gateway, connect } = await startApiFixture({ configText: CONFIG })
    const response = await fetch(`${gateway.httpUrl}/hooks/agent`, { method: 'POST', headers: { authorization: `Bearer ${HOOK_TOKEN}` }, body: JSON.stringify({ message: 'x' }) })
    expect(response.status).toBe(202)
    await Promise.allSettled(gateway.background)
    expect(anthropic.requests).toHaveLength(0)
    expect(discord.writes()).toHaveLength(0)
    anthropic.script(anthropicReply(['ok']))
    await callExpectFinal(await connect(), 'agent', cliAgentParams('hi', { agentId: 'main' }))
    expect(lastUserText(anthropic.requests[0]!.body)).toContain('Hook Hook (error): Cron delivery requires a recipient (--to).')
  })
})
