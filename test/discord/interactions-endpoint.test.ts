import { afterEach, describe, expect, it } from 'vitest'
import { createInteractionKeys, signInteraction } from '../helpers/sign-interaction.js'
import { APPLICATION_ID, BOT_TOKEN, createHarness, dmCommand } from './discord-harness.js'

type Harness = Awaited<ReturnType<typeof createHarness>>
let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const PING = { id: '42', application_id: APPLICATION_ID, type: 1, version: 1 }

describe('POST /discord/interactions', () => {
  it('answers PING with type 1 and JSON, before any allowlist', async () => {
    harness = await createHarness({ configText: JSON.stringify({ channels: { discord: { groupPolicy: 'disabled', dm: { policy: 'disabled' } } } }) })
    const response = await harness.app.request('/discord/interactions', await signInteraction(harness.keys, PING, { timestamp: harness.deps.now() / 1000 }))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/json')
    expect(await response.json()).toEqual({ type: 1 })
  })

  it('returns 401 when the signature is invalid (Discord probes with bad signatures)', async () => {
    harness = await createHarness()
    const stranger = await createInteractionKeys()
    const response = await harness.app.request('/discord/interactions', await signInteraction(stranger, PING, { timestamp: harness.deps.now() / 1000 }))
    expect(response.status).toBe(401)
  })

  it('returns 401 when the body was changed after signing', async () => {
    harness = await createHarness()
    const init = await signInteraction(harness.keys, PING, { timestamp: harness.deps.now() / 1000, tamperedBody: JSON.stringify({ ...PING, type: 2 }) })
    expect((await harness.app.request('/discord/interactions', init)).status).toBe(401)
  })

  it('returns 401 when the signature headers are missing', async () => {
    harness = await createHarness()
    const response = await harness.app.request('/discord/interactions', { method: 'POST', body: JSON.stringify(PING), headers: { 'content-type': 'application/json' } })
    expect(response.status).toBe(401)
  })

  it('returns 401 for a correctly signed but stale timestamp (more than 5 minutes old)', async () => {
    harness = await createHarness()
    const stale = await signInteraction(harness.keys, PING, { timestamp: harness.deps.now() / 1000 - 301 })
    expect((await harness.app.request('/discord/interactions', stale)).status).toBe(401)
    const fresh = await signInteraction(harness.keys, PING, { timestamp: harness.deps.now() / 1000 - 299 })
    expect((await harness.app.request('/discord/interactions', fresh)).status).toBe(200)
  })

  it('returns 401 when no public key is known yet', async () => {
    harness = await createHarness({ start: false })
    const response = await harness.app.request('/discord/interactions', await signInteraction(harness.keys, PING, { timestamp: harness.deps.now() / 1000 }))
    expect(response.status).toBe(401)
  })

  it('accepts DISCORD_PUBLIC_KEY without a bot token or a start-up probe', async () => {
    harness = await createHarness({ start: false })
    harness.deps.env.DISCORD_PUBLIC_KEY = harness.keys.publicKeyHex
    const response = await harness.app.request('/discord/interactions', await signInteraction(harness.keys, PING, { timestamp: harness.deps.now() / 1000 }))
    expect(response.status).toBe(200)
  })

  it('returns 413 for a body over 1 MiB', async () => {
    harness = await createHarness()
    const body = JSON.stringify({ ...PING, padding: 'x'.repeat(1024 * 1024) })
    const response = await harness.app.request('/discord/interactions', await signInteraction(harness.keys, PING, { timestamp: harness.deps.now() / 1000, body }))
    expect(response.status).toBe(413)
  })

  it('returns 400 for a signed body that is not an interaction', async () => {
    harness = await createHarness()
    const response = await harness.app.request('/discord/interactions', await signInteraction(harness.keys, { hello: 'world' }, { timestamp: harness.deps.now() / 1000 }))
    expect(response.status).toBe(400)
  })

  it('routes /discord/<accountId>/interactions and 404s an unknown account', async () => {
    harness = await createHarness()
    const init = await signInteraction(harness.keys, PING, { timestamp: harness.deps.now() / 1000 })
    expect((await harness.app.request('/discord/other/interactions', init)).status).toBe(404)
    const defaultInit = await signInteraction(harness.keys, PING, { timestamp: harness.deps.now() / 1000 })
    expect((await harness.app.request('/discord/default/interactions', defaultInit)).status).toBe(200)
  })

  it('runs a re-delivered interaction id only once', async () => {
    harness = await createHarness({ configText: JSON.stringify({ channels: { discord: { dm: { policy: 'open', allowFrom: ['*'] } } } }) })
    const payload = { ...dmCommand('ask', [{ name: 'prompt', type: 3, value: 'hi' }]), id: '77', application_id: APPLICATION_ID, token: 'tok' }
    const first = await harness.app.request('/discord/interactions', await signInteraction(harness.keys, payload, { timestamp: harness.deps.now() / 1000 }))
    const second = await harness.app.request('/discord/interactions', await signInteraction(harness.keys, payload, { timestamp: harness.deps.now() / 1000 }))
    expect(await first.json()).toEqual({ type: 5 })
    expect(await second.json()).toEqual({ type: 5 })
    ;(await harness.runner.nextRun()).end({ text: 'once' })
    await harness.settle()
    expect(harness.runner.sent).toHaveLength(1)
  })

  it('never writes the bot token into a log line', async () => {
    harness = await createHarness()
    const lines = harness.records.map((record) => record.message)
    expect(lines.join('\n')).not.toContain(BOT_TOKEN)
    expect(lines).toContain('logged in to discord as 900000000000000001')
  })
})
