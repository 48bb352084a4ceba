import { describe, expect, it } from 'vitest'
import { anthropicReply } from '../helpers/fake-anthropic-server.js'
import { callExpectFinal, cliAgentParams, startApiFixture } from './api-fixture.js'

/** The lines upstream's `clawdbot health` prints from a payload (spec/agent-api.md §5), for the fields it reads. */
function cliHealthLines(health: any): string[] {
  const lines: string[] = []
  for (const id of health.channelOrder ?? Object.keys(health.channels)) {
    const channel = health.channels[id]
    const account = channel.accounts?.default ?? channel
    const label = health.channelLabels?.[id] ?? id
    if (account.configured === false) lines.push(`${label}: not configured`)
    else if (account.probe?.ok === false) lines.push(`${label}: failed (${account.probe.status ?? 'unknown'}) - ${account.probe.error}`)
    else if (account.probe?.ok === true) lines.push(`${label}: ok (@${account.probe.bot?.username}) (${account.probe.elapsedMs}ms)`)
    else lines.push(`${label}: configured`)
  }
  lines.push(`Agents: ${health.agents.map((agent: any) => `${agent.agentId}${agent.isDefault ? ' (default)' : ''}`).join(', ')}`)
  const main = health.agents.find((agent: any) => agent.agentId === health.defaultAgentId)
  lines.push(`Heartbeat interval: ${main.heartbeat?.everyMs ? `${main.heartbeat.every}` : 'disabled'} (${main.agentId})`)
  lines.push(`Session store (${main.agentId}): ${main.sessions.path} (${main.sessions.count} entries)`)
  for (const recent of main.sessions.recent) lines.push(`- ${recent.key} (${recent.age === null ? 'no activity' : `${Math.floor(recent.age / 60_000)}m ago`})`)
  return lines
}

describe('send and poll (§3, §7 check 8)', () => {
  it('posts once per idempotency key, returns upstream result shape and mirrors into the route session', async () => {
    const { discord, connect } = await startApiFixture()
    const client = await connect()
    const params = { to: 'channel:777', message: ' hi there ', channel: 'discord', idempotencyKey: 'k1' }
    const first = await client.request('send', params)
    expect(first.payload).toEqual({ runId: 'k1', messageId: expect.any(String), channel: 'discord', channelId: '777' })
    const posts = () => discord.writes().filter((call) => call.path === '/channels/777/messages')
    expect(posts().map((call) => call.body.content)).toEqual(['hi there'])
    const again = await client.request('send', params)
    expect(again.payload).toEqual(first.payload)
    expect(posts()).toHaveLength(1)
    const history = await client.request('chat.history', { sessionKey: 'agent:main:discord:channel:777' })
    expect(history.payload.messages.map((message: any) => [message.role, message.content[0].text])).toEqual([['assistant', 'hi there']])
  })

  it('shares one delivery between concurrent duplicates and words every refusal as upstream', async () => {
    const { discord, connect } = await startApiFixture()
    const client = await connect()
    const params = { to: 'user:600000000000000001', message: 'psst', channel: 'discord', idempotencyKey: 'dm-1' }
    const [one, two] = await Promise.all([client.request('send', params), client.request('send', params)])
    expect(two.payload).toEqual(one.payload)
    expect(one.payload.channelId).toBe('dm-600000000000000001')
    expect(discord.writes().filter((call) => call.path.endsWith('/messages'))).toHaveLength(1)
    expect((await client.request('send', { to: 'channel:1', message: 'hi', idempotencyKey: 'k2' })).error).toEqual({ code: 'INVALID_REQUEST', message: 'unsupported channel: whatsapp' })
    expect((await client.request('send', { to: '123', message: 'hi', channel: 'discord', idempotencyKey: 'k3' })).error?.message).toBe(
      'Ambiguous Discord recipient "123". Use "user:123" for DMs or "channel:123" for channel messages.',
    )
    expect((await client.request('send', { to: 'channel:1', message: 'hi', channel: 'discord', idempotencyKey: 'k4', threadId: 't' })).error?.message).toBe(
      "invalid send params: at root: unexpected property 'threadId'",
    )
    discord.fail((call) => call.path === '/channels/9/messages', 403, { message: 'Missing Access', code: 50001 })
    const failed = await client.request('send', { to: 'channel:9', message: 'hi', channel: 'discord', idempotencyKey: 'k5' })
    expect(failed.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/^Error: .*Missing Access/) })
    // Failures are cached too: the retry with the same key reports the same error and posts nothing.
    const writes = discord.writes().length
    expect((await client.request('send', { to: 'channel:9', message: 'hi', channel: 'discord', idempotencyKey: 'k5' })).error).toEqual(failed.error)
    expect(discord.writes()).toHaveLength(writes)
  })

  it('poll posts a native Discord poll and refuses channels without polls', async () => {
    const { discord, connect } = await startApiFixture()
    const client = await connect()
    const result = await client.request('poll', { to: 'channel:55', question: 'Lunch?', options: ['Pizza', 'Sushi'], maxSelections: 2, durationHours: 4, channel: 'discord', idempotencyKey: 'p1' })
    expect(result.payload).toEqual({ runId: 'p1', messageId: expect.any(String), channel: 'discord', channelId: '55' })
    const post = discord.writes().find((call) => call.path === '/channels/55/messages')
    expect(post?.body.poll).toEqual({ question: { text: 'Lunch?' }, answers: [{ poll_media: { text: 'Pizza' } }, { poll_media: { text: 'Sushi' } }], duration: 4, allow_multiselect: true })
    expect((await client.request('poll', { to: 'x', question: 'q', options: ['a', 'b'], idempotencyKey: 'p2' })).error?.message).toBe('unsupported poll channel: whatsapp')
    const eleven = Array.from({ length: 11 }, (_, index) => `option ${index}`)
    expect((await client.request('poll', { to: 'channel:55', question: 'q', options: eleven, channel: 'discord', idempotencyKey: 'p3' })).error?.message).toBe('Error: Discord polls allow at most 10 options')
  })
})

describe('usage.status and usage.cost (§4, §7 checks 6–7)', () => {
  it('answers an empty quota list and zero totals on a fresh volume, then priced totals after a run', async () => {
    const { anthropic, connect, gateway } = await startApiFixture()
    const client = await connect()
    expect((await client.request('usage.status', {})).payload).toEqual({ updatedAt: gateway.deps.now(), providers: [] })
    const fresh = await client.request('usage.cost', {})
    expect(fresh.payload).toMatchObject({ days: 30, daily: [], totals: { input: 0, output: 0, totalTokens: 0, totalCost: 0, missingCostEntries: 0 } })
    anthropic.script(anthropicReply(['ok'], { usage: { input: 1_000_000, output: 100_000 } }))
    await callExpectFinal(client, 'agent', cliAgentParams('hi', { sessionId: 'x' }))
    // Cached for 30 s per `days`, as upstream; another window is computed at once.
    expect((await client.request('usage.cost', {})).payload.totals.totalTokens).toBe(0)
    const after = await client.request('usage.cost', { days: '7' })
    const today = new Date(gateway.deps.now()).toISOString().slice(0, 10)
    expect(after.payload.days).toBe(7)
    expect(after.payload.totals).toMatchObject({ input: 1_000_000, output: 100_000, totalTokens: 1_100_000, missingCostEntries: 0 })
    // claude-opus-4-5 list price: $5 per million input tokens, $25 per million output tokens.
    expect(after.payload.totals.totalCost).toBeCloseTo(5 + 2.5, 6)
    expect(after.payload.daily.at(-1)).toMatchObject({ date: today, totalTokens: 1_100_000 })
    expect((await client.request('usage.cost', { days: 'nonsense' })).payload.days).toBe(30)
  })
})

describe('health (§5, §7 check 5)', () => {
  it('sends the payload upstream\'s clawdbot health prints as its normal report', async () => {
    const { anthropic, connect } = await startApiFixture()
    anthropic.script(anthropicReply(['pong']))
    const client = await connect()
    await callExpectFinal(client, 'agent', cliAgentParams('hi', { agentId: 'main' }))
    const health = (await client.request('health', {})).payload
    expect(health.agents[0]).toMatchObject({ agentId: 'main', isDefault: true, heartbeat: { enabled: false, every: 'disabled', everyMs: null }, sessions: { count: 1 } })
    expect(Array.isArray(health.agents[0].sessions.recent)).toBe(true)
    expect(health.sessions).toEqual(health.agents[0].sessions)
    expect(health.channels.discord).toMatchObject({ accountId: 'default', configured: true, accounts: { default: { accountId: 'default', configured: true } } })
    const lines = cliHealthLines(health)
    expect(lines).toEqual([
      'Discord: configured',
      'Agents: main (default)',
      'Heartbeat interval: disabled (main)',
      `Session store (main): ${health.agents[0].sessions.path} (1 entries)`,
      '- agent:main:main (0m ago)',
    ])
    expect(health.agents[0].sessions.path).toMatch(/agents\/main\/sessions\/sessions\.json$/)
  })

  it('probe:true (clawdbot health --verbose) checks the bot token now and reports the bot', async () => {
    const { discord, connect } = await startApiFixture()
    const client = await connect()
    const health = (await client.request('health', { probe: true })).payload
    expect(discord.calls.some((call) => call.method === 'GET' && call.path === '/users/@me')).toBe(true)
    expect(health.channels.discord.accounts.default.probe).toMatchObject({ ok: true, error: null, bot: { username: 'Clawd' } })
    expect(cliHealthLines(health)[0]).toMatch(/^Discord: ok \(@Clawd\) \(\d+ms\)$/)
    discord.fail((call) => call.path === '/users/@me', 401, { message: '401: Unauthorized', code: 0 })
    const failed = (await client.request('health', { probe: true })).payload
    expect(cliHealthLines(failed)[0]).toMatch(/^Discord: failed \(unknown\) - .+/)
  })
})
