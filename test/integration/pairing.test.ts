import { describe, it, expect } from 'vitest'
import { createApp } from '../../src/app.js'
import { readPairedUserIds, upsertPairingRequest } from '../../src/channels/pairing-store.js'
import { createNodeStorage } from '../../src/runtime/node/node-storage.js'
import { makeTestDeps, TEST_TOKEN } from '../helpers/make-test-deps.js'
import { makeSandbox, spawnCli } from '../helpers/spawn-gateway.js'
import { startFakeTelegram } from '../helpers/fake-telegram-server.js'

describe('Discord pairing approval', () => {
  it('approves a pending code over HTTP behind the gateway token, and explains an unknown one', async () => {
    const { deps } = await makeTestDeps()
    const app = createApp(deps)
    const pending = await upsertPairingRequest(deps.storage, '612345678901234567', deps.now())
    const approve = (code: string, token = TEST_TOKEN) =>
      app.request('/api/pairing/discord/approve', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ code }) })

    expect((await approve(pending!.code, 'wrong')).status).toBe(401)
    const unknown = await approve('NOPE0000')
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).error.message).toContain('expire after an hour')
    const ok = await approve(pending!.code)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ ok: true, channel: 'discord', userId: '612345678901234567' })
    expect(await readPairedUserIds(deps.storage)).toEqual(['612345678901234567'])
    const bad = await app.request('/api/pairing/discord/approve', { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}` }, body: 'x' })
    expect(bad.status).toBe(400)
  })

  it('approves a pending code from the CLI against the state dir', async () => {
    const sandbox = makeSandbox()
    const storage = createNodeStorage(sandbox.stateDir)
    const pending = await upsertPairingRequest(storage, '698765432109876543', Date.now())
    const env = { HOME: sandbox.home, CLAWDBOT_STATE_DIR: sandbox.stateDir }
    const cli = spawnCli(['pairing', 'approve', 'discord', pending!.code], env)
    expect((await cli.exited).code).toBe(0)
    expect(cli.stdout.join('\n')).toContain('Approved Discord user 698765432109876543')
    expect(await readPairedUserIds(createNodeStorage(sandbox.stateDir))).toEqual(['698765432109876543'])
    const again = spawnCli(['pairing', 'approve', 'discord', pending!.code], env)
    expect((await again.exited).code).toBe(1)
    expect(again.stderr.join('\n')).toContain('No pending Discord pairing request')
  })
})

describe('Telegram pairing approval', () => {
  it('approves a pending code from the CLI and tells the user with the default bot token', async () => {
    const telegram = await startFakeTelegram({ token: '123:cli-token' })
    try {
      const sandbox = makeSandbox()
      const storage = createNodeStorage(sandbox.stateDir)
      const pending = await upsertPairingRequest(storage, '4242', Date.now(), {}, 'telegram')
      const env = { HOME: sandbox.home, CLAWDBOT_STATE_DIR: sandbox.stateDir, TELEGRAM_BOT_TOKEN: '123:cli-token', TELEGRAM_API_BASE: telegram.url }
      const cli = spawnCli(['pairing', 'approve', 'telegram', pending!.code.toLowerCase()], env)
      expect((await cli.exited).code).toBe(0)
      expect(cli.stdout.join('\n')).toContain('Approved Telegram user 4242')
      expect(await readPairedUserIds(createNodeStorage(sandbox.stateDir), 'telegram')).toEqual(['4242'])
      expect(await readPairedUserIds(createNodeStorage(sandbox.stateDir), 'discord')).toEqual([])
      expect(telegram.callsTo('sendMessage').map((call) => call.body)).toEqual([
        { chat_id: '4242', text: '✅ Moltbot access approved. Send a message to start chatting.' },
      ])
    } finally {
      await telegram.close()
    }
  })
})
