import { upgradeWebSocket } from '@hono/node-server'
import type { Hono } from 'hono'
import { createApp } from '../../src/app.js'
import type { Automation } from '../../src/automation/create-automation.js'
import { createDiscordChannel, type DiscordChannel } from '../../src/discord/discord-channel.js'
import { nodeClientAddress, startListeners, type Listeners } from '../../src/runtime/node/start-listeners.js'
import { APPLICATION_ID, BOT_TOKEN, FLY_SAMPLE_CONFIG } from '../discord/discord-harness.js'
import { startFakeAnthropic } from '../helpers/fake-anthropic-server.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { startFakeDiscord } from '../helpers/fake-discord-server.js'
import { makeTestDeps, TEST_TOKEN } from '../helpers/make-test-deps.js'
import { createInteractionKeys, signInteraction } from '../helpers/sign-interaction.js'
import { openTestClient } from '../helpers/ws-client.js'

export const START = Date.parse('2026-01-12T12:00:00Z')

/** Merges extra config into the Fly sample config (Discord #general allowed, Anthropic then OpenAI). */
export function sampleConfig(extra: (config: any) => void = () => {}): string {
  const config = JSON.parse(FLY_SAMPLE_CONFIG)
  extra(config)
  return JSON.stringify(config)
}

/**
 * A whole gateway (createApp with the real agent runtime, Discord channel and control socket) on a real port, with
 * fake Anthropic and Discord servers and a fake clock behind `deps.now`/`deps.scheduler`. `restart()` stops the
 * running app's timers and boots a new app on the same storage, as a process restart would.
 */
export async function startAutomationGateway(options: { configText?: string; files?: Record<string, string> } = {}) {
  const keys = await createInteractionKeys()
  const discord = await startFakeDiscord({ botToken: BOT_TOKEN, application: { id: APPLICATION_ID, verify_key: keys.publicKeyHex, name: 'Clawd' } })
  const anthropic = await startFakeAnthropic()
  const test = await makeTestDeps({
    configText: options.configText ?? sampleConfig(),
    files: options.files,
    env: { DISCORD_BOT_TOKEN: BOT_TOKEN, DISCORD_API_BASE_URL: discord.url, ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: anthropic.url },
  })
  const clock = createFakeClock(START)
  test.deps.fetch = globalThis.fetch.bind(globalThis)
  test.deps.now = clock.now
  test.deps.scheduler = clock.scheduler
  test.deps.upgradeWebSocket = upgradeWebSocket

  let app!: Hono
  let automation!: Automation
  let channel!: DiscordChannel
  const boot = async () => {
    channel = createDiscordChannel(test.deps, { editIntervalMs: 20 })
    await channel.start()
    app = createApp(test.deps, { discord: channel, control: { clientAddress: nodeClientAddress }, onAutomation: (created) => (automation = created) })
    // createApp starts automation in the background; wait until the store is loaded and timers are armed.
    await automation.cron().status()
  }
  await boot()
  const listeners: Listeners = await startListeners(((request: Request, env: never) => app.fetch(request, env)) as never, [{ host: '127.0.0.1', display: '127.0.0.1', optional: false }], 0)
  const clients: { close(): void }[] = []
  let interactionId = 1

  return {
    ...test,
    clock,
    discord,
    anthropic,
    get automation() {
      return automation
    },
    url: `ws://127.0.0.1:${listeners.port}/`,
    /** A connected operator client (the Control UI's connect params). */
    async client() {
      const client = await openTestClient(`ws://127.0.0.1:${listeners.port}/`, { token: TEST_TOKEN })
      clients.push(client)
      const hello = await client.connect()
      if (!hello.ok) throw new Error(`connect failed: ${JSON.stringify(hello.error)}`)
      return client
    },
    /** Signs and posts a Discord interaction to the running app. */
    async interaction(payload: Record<string, unknown>): Promise<Response> {
      const body = { id: String(9_100_000 + interactionId++), application_id: APPLICATION_ID, token: `token-${interactionId}`, version: 1, ...payload }
      return app.request('/discord/interactions', await signInteraction(keys, body, { timestamp: clock.now() / 1000 }))
    },
    async restart() {
      automation.stop()
      await Promise.allSettled(test.background)
      await boot()
    },
    async close() {
      for (const client of clients) client.close()
      automation.stop()
      await Promise.allSettled(test.background)
      await listeners.close()
      await Promise.all([discord.close(), anthropic.close()])
    },
  }
}
