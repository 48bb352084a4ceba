import { afterEach, describe, expect, it } from 'vitest'
import { INTERRUPTED_REPLY_TEXT } from '../../src/discord/interrupted-replies.js'
import { discordPendingReplyKey, discordPendingReplyPrefix } from '../../src/storage/keys.js'
import { APPLICATION_ID, createHarness, guildCommand } from './discord-harness.js'

let harness: Awaited<ReturnType<typeof createHarness>> | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const editsOf = (token: string) => (call: { method: string; path: string }) =>
  call.method === 'PATCH' && call.path === `/webhooks/${APPLICATION_ID}/${token}/messages/@original`

describe('replies cut off by a restart', () => {
  it('asks the users of a previous boot’s unfinished replies to retry, once, and drops expired ones', async () => {
    harness = await createHarness({ start: false })
    const { deps } = harness
    const now = deps.now()
    await deps.storage.setItem(discordPendingReplyKey('default', '111'), { applicationId: APPLICATION_ID, token: 'cut-off', startedAt: now - 60_000, bootId: 'earlier-boot' })
    await deps.storage.setItem(discordPendingReplyKey('default', '222'), { applicationId: APPLICATION_ID, token: 'expired', startedAt: now - 16 * 60_000, bootId: 'earlier-boot' })
    await harness.channel.start()
    const edits = harness.server.calls.filter(editsOf('cut-off'))
    expect(edits).toHaveLength(1)
    expect(edits[0]!.body).toMatchObject({ content: INTERRUPTED_REPLY_TEXT, components: [], allowed_mentions: { parse: [] } })
    expect(harness.server.calls.filter(editsOf('expired'))).toEqual([])
    expect(await deps.storage.getKeys(discordPendingReplyPrefix('default'))).toEqual([])
    await harness.channel.start()
    expect(harness.server.calls.filter(editsOf('cut-off'))).toHaveLength(1)
  })

  it('records a reply while it streams, leaves it alone on a channel restart, and forgets it once delivered', async () => {
    harness = await createHarness()
    const response = await harness.post(guildCommand('ask', [{ name: 'prompt', type: 3, value: 'hi' }]))
    expect(await response.json()).toMatchObject({ type: 5 })
    const run = await harness.runner.nextRun()
    const [key] = await harness.deps.storage.getKeys(discordPendingReplyPrefix('default'))
    expect(key).toBeDefined()
    expect(await harness.deps.storage.getItem(key!)).toMatchObject({ applicationId: APPLICATION_ID, token: expect.any(String) })
    // Same boot: a config reload restarting the channel must not mark the live reply as interrupted.
    await harness.channel.start()
    expect(harness.server.calls.filter((call) => call.body?.content === INTERRUPTED_REPLY_TEXT)).toEqual([])
    run.end({ text: 'done' })
    await harness.settle()
    expect(await harness.deps.storage.getKeys(discordPendingReplyPrefix('default'))).toEqual([])
  })
})
