import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { TelegramAccount } from '../../src/telegram/telegram-account.js'
import { makeTestDeps } from '../helpers/make-test-deps.js'

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

describe('Telegram Bot API deadline (issue 9 finding 11, channels.telegram.timeoutSeconds)', () => {
  it('fails a call to a Bot API that never answers after timeoutSeconds, naming the host and never the token', async () => {
    let received = 0
    server = createServer(() => void (received += 1))
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const { deps } = await makeTestDeps({ configText: JSON.stringify({ channels: { telegram: { botToken: '123456:secret-bot-token', timeoutSeconds: 1 } } }), env: { TELEGRAM_API_BASE: base } })
    deps.fetch = globalThis.fetch.bind(globalThis)
    const account = new TelegramAccount(deps, 'default', { sleep: async () => undefined, path: () => '/telegram-webhook' })
    const error = await (await account.api()).call('getMe').catch((caught: unknown) => caught)
    expect(String(error)).toMatch(/127\.0\.0\.1:\d+ did not answer within 1000 ms/)
    expect(String(error)).not.toContain('secret-bot-token')
    expect(received).toBeGreaterThan(0)
  })
})
