import { afterEach, describe, expect, it } from 'vitest'
import { DELIVERY_FAILED_TEXT, MERGED_TEXT } from '../../src/discord/deliver-run.js'
import { APPLICATION_ID, BOT_TOKEN, createHarness, guildCommand, USER_ID } from './discord-harness.js'
import type { DiscordCall } from '../helpers/fake-discord-server.js'

type Harness = Awaited<ReturnType<typeof createHarness>>
let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const ask = (prompt: string, extra: Array<Record<string, unknown>> = []) => [{ name: 'prompt', type: 3, value: prompt }, ...extra]
const isEdit = (call: DiscordCall) => call.method === 'PATCH' && call.path.endsWith('/messages/@original')
const isFollowUp = (call: DiscordCall) => call.method === 'POST' && call.path.startsWith(`/webhooks/${APPLICATION_ID}/`)
const isChannelPost = (call: DiscordCall) => call.method === 'POST' && call.path.startsWith('/channels/')
const edits = (current: Harness) => current.server.calls.filter(isEdit)

describe('streaming a reply into a deferred interaction', () => {
  it('edits @original at a throttled cadence with a Stop button, then finalizes without it', async () => {
    harness = await createHarness()
    const response = await harness.post(guildCommand('ask', ask('stream please')))
    expect(await response.json()).toEqual({ type: 5 })
    const run = await harness.runner.nextRun()
    run.delta('Hel')
    const first = await harness.server.waitFor(isEdit)
    expect(first.body).toMatchObject({ content: 'Hel', allowed_mentions: { parse: [] } })
    expect(first.body.components[0].components[0]).toMatchObject({ type: 2, style: 4, label: 'Stop' })
    expect(first.path).toMatch(new RegExp(`^/webhooks/${APPLICATION_ID}/interaction-token-\\d+/messages/@original$`))
    expect(first.authorization).toBeUndefined()

    run.delta('lo')
    run.delta(' world')
    // The first edit may still be in flight; the follow-up edit is then scheduled when it returns.
    await harness.timers.whenPending()
    expect(harness.timers.pending()).toBe(1)
    expect(harness.timers.tasks[0]?.delayMs).toBe(1_000)
    expect(edits(harness)).toHaveLength(1)
    harness.advance(1_000)
    harness.timers.runPending()
    const second = await harness.server.waitFor((call) => isEdit(call) && call.body.content === 'Hello world')
    expect(second.body.components).toHaveLength(1)

    run.end({ text: 'Hello world!' })
    await harness.settle()
    const final = edits(harness).at(-1) as DiscordCall
    expect(final.body).toEqual({ content: 'Hello world!', components: [], allowed_mentions: { parse: [] } })
  })

  it('sends a long reply as chunks: @original plus follow-ups, each within Discord limits', async () => {
    harness = await createHarness()
    await harness.post(guildCommand('ask', ask('long')))
    const text = Array.from({ length: 60 }, (_, index) => `Line ${index}: ${'lorem ipsum '.repeat(5)}`).join('\n')
    ;(await harness.runner.nextRun()).end({ text })
    await harness.settle()
    const followUps = harness.server.calls.filter(isFollowUp)
    expect(followUps.length).toBeGreaterThanOrEqual(3)
    for (const call of [...edits(harness), ...followUps]) {
      expect(call.body.content.length).toBeLessThanOrEqual(2000)
      expect(call.body.content.split('\n').length).toBeLessThanOrEqual(17)
      expect(call.body.allowed_mentions).toEqual({ parse: [] })
    }
    const delivered = [edits(harness).at(-1)?.body.content, ...followUps.map((call) => call.body.content)].join('\n')
    expect(delivered).toBe(text.trimEnd())
  })

  it('keeps a private reply ephemeral: deferred with flag 64, follow-ups flagged too', async () => {
    harness = await createHarness()
    const response = await harness.post(guildCommand('ask', ask('secret', [{ name: 'private', type: 5, value: true }])))
    expect(await response.json()).toEqual({ type: 5, data: { flags: 64 } })
    ;(await harness.runner.nextRun()).end({ text: 'x'.repeat(2500) })
    await harness.settle()
    expect(harness.server.calls.filter(isFollowUp).map((call) => call.body.flags)).toEqual([64])
  })

  it('honours 429 retry_after on an edit and retries', async () => {
    harness = await createHarness()
    await harness.post(guildCommand('ask', ask('q')))
    harness.server.rateLimit(isEdit, 1.5)
    ;(await harness.runner.nextRun()).end({ text: 'after the wait' })
    await harness.settle()
    expect(harness.sleeps).toEqual([1_500])
    expect(edits(harness).map((call) => call.body.content)).toEqual(['after the wait', 'after the wait'])
  })

  it('gives up after the retry cap and still leaves a friendly message', async () => {
    harness = await createHarness()
    await harness.post(guildCommand('ask', ask('q')))
    harness.server.rateLimit(isEdit, 0.2, 3)
    ;(await harness.runner.nextRun()).end({ text: 'never shown' })
    await harness.settle()
    expect(harness.sleeps).toEqual([200, 200])
    expect(edits(harness).at(-1)?.body.content).toBe(DELIVERY_FAILED_TEXT)
  })

  it('delivers through the bot token once the interaction token is about to expire', async () => {
    harness = await createHarness()
    await harness.post(guildCommand('ask', ask('slow one')))
    const run = await harness.runner.nextRun()
    harness.advance(14.5 * 60_000)
    run.end({ text: 'finally done' })
    await harness.settle()
    expect(edits(harness)).toHaveLength(0)
    const post = harness.server.calls.find(isChannelPost) as DiscordCall
    expect(post.path).toBe('/channels/500000000000000001/messages')
    expect(post.authorization).toBe(`Bot ${BOT_TOKEN}`)
    expect(post.body).toEqual({ content: 'finally done', allowed_mentions: { parse: [] } })
  })

  it('sends at most five follow-ups where the app is only user-installed, then posts in the channel', async () => {
    harness = await createHarness()
    const payload = { ...guildCommand('ask', ask('many')), authorizing_integration_owners: { '1': USER_ID } }
    await harness.post(payload)
    const text = Array.from({ length: 8 }, (_, index) => `Part ${index}\n${'x'.repeat(1990)}`).join('\n')
    ;(await harness.runner.nextRun()).end({ text })
    await harness.settle()
    expect(harness.server.calls.filter(isFollowUp)).toHaveLength(5)
    expect(harness.server.calls.filter(isChannelPost).length).toBeGreaterThan(0)
    const messages = harness.server.calls.filter((call) => isEdit(call) || isFollowUp(call) || isChannelPost(call))
    expect(messages.every((call) => call.body.content.length <= 2000)).toBe(true)
  })

  it('deletes the deferred message for a NO_REPLY answer', async () => {
    harness = await createHarness()
    await harness.post(guildCommand('ask', ask('quiet')))
    ;(await harness.runner.nextRun()).end({ text: 'NO_REPLY', silent: true })
    await harness.settle()
    expect(harness.server.writes().filter((call) => call.path.startsWith('/webhooks/')).map((call) => call.method)).toEqual(['DELETE'])
  })

  it('turns a failed run into a short edit, never silence', async () => {
    harness = await createHarness()
    await harness.post(guildCommand('ask', ask('boom')))
    ;(await harness.runner.nextRun()).fail('⚠️ Agent failed before reply: The AI service is temporarily overloaded.')
    await harness.settle()
    expect(edits(harness).at(-1)?.body.content).toBe('⚠️ Agent failed before reply: The AI service is temporarily overloaded.')
  })

  it('tells a message merged into a collected turn where its answer goes', async () => {
    harness = await createHarness()
    harness.runner.nextStatus = 'merged'
    await harness.post(guildCommand('ask', ask('me too')))
    await harness.runner.nextRun()
    await harness.settle()
    expect(edits(harness).map((call) => call.body.content)).toEqual([MERGED_TEXT])
  })
})

describe('the Stop button', () => {
  it('aborts the run for the person who asked, and refuses anyone else', async () => {
    harness = await createHarness()
    const askResponse = await harness.post({ ...guildCommand('ask', ask('long story')), id: '31337' })
    expect(await askResponse.json()).toEqual({ type: 5 })
    const run = await harness.runner.nextRun()
    run.delta('Once upon a time')
    const edit = await harness.server.waitFor(isEdit)
    const customId = edit.body.components[0].components[0].custom_id as string
    expect(customId).toBe('stop:31337')

    const press = (userId: string) => ({
      ...guildCommand('ask'),
      type: 3,
      data: { custom_id: customId, component_type: 2 },
      member: { user: { id: userId, username: userId === USER_ID ? 'alice' : 'mallory', discriminator: '0' } },
    })
    const stranger = await harness.post(press('600000000000000099'))
    expect(await stranger.json()).toMatchObject({ type: 4, data: { content: 'Only the person who asked can stop this reply.', flags: 64 } })
    expect(harness.runner.aborted).toEqual([])

    const owner = await harness.post(press(USER_ID))
    expect(await owner.json()).toEqual({ type: 6 })
    expect(harness.runner.aborted).toEqual(['agent:main:discord:channel:500000000000000001'])
    await harness.settle()
    expect(edits(harness).at(-1)?.body).toMatchObject({ content: 'Once upon a time\n\n_(stopped)_', components: [] })
  })
})
