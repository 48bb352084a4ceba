import { Hono } from 'hono'
import { installErrorHandlers } from '../../src/http/install-error-handlers.js'
import { createDiscordChannel, type DiscordChannel } from '../../src/discord/discord-channel.js'
import { createDiscordRoutes, type DiscordSessionControl } from '../../src/discord/routes.js'
import type { Schedule } from '../../src/discord/schedule.js'
import { FakeAgentRunner } from '../helpers/fake-agent-runner.js'
import { startFakeDiscord, type FakeDiscordServer } from '../helpers/fake-discord-server.js'
import { makeTestDeps } from '../helpers/make-test-deps.js'
import { createInteractionKeys, signInteraction, type InteractionKeys } from '../helpers/sign-interaction.js'

export const BOT_TOKEN = 'test-discord-bot-token-0123456789'
export const APPLICATION_ID = '800000000000000001'
export const GUILD_ID = '700000000000000001'
export const USER_ID = '600000000000000001'

/** Timers the test fires by hand: nothing runs until `runPending()`; `delays` records what was asked for. */
export class ManualSchedule {
  readonly tasks: Array<{ callback: () => void; delayMs: number; cancelled: boolean }> = []
  readonly #waiters: Array<() => void> = []
  readonly schedule: Schedule = (callback, delayMs) => {
    const task = { callback, delayMs, cancelled: false }
    this.tasks.push(task)
    for (const wake of this.#waiters.splice(0)) wake()
    return () => void (task.cancelled = true)
  }

  /** Resolves once a task is pending (at once if one already is). */
  async whenPending(): Promise<void> {
    while (this.pending() === 0) await new Promise<void>((resolve) => this.#waiters.push(resolve))
  }

  /** Runs every task queued so far that was not cancelled; returns how many ran. */
  runPending(): number {
    const due = this.tasks.splice(0).filter((task) => !task.cancelled)
    for (const task of due) task.callback()
    return due.length
  }

  pending(): number {
    return this.tasks.filter((task) => !task.cancelled).length
  }
}

export interface HarnessOptions {
  configText?: string
  env?: Record<string, string>
  /** Start the channel (probe + registration) before returning; default true. */
  start?: boolean
  sessions?: DiscordSessionControl
}

/** A gateway app with the Discord routes, a fake Discord server, a fake runner and a real signing key. */
export async function createHarness(options: HarnessOptions = {}) {
  const keys: InteractionKeys = await createInteractionKeys()
  const server: FakeDiscordServer = await startFakeDiscord({
    botToken: BOT_TOKEN,
    application: { id: APPLICATION_ID, verify_key: keys.publicKeyHex, name: 'Clawd' },
  })
  const test = await makeTestDeps({
    configText: options.configText,
    env: { DISCORD_BOT_TOKEN: BOT_TOKEN, DISCORD_API_BASE_URL: server.url, ...options.env },
  })
  const { deps } = test
  // Only the local fake server is reachable; anything else would be a bug in the test.
  deps.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input)
    if (!url.startsWith(server.origin)) return Promise.reject(new Error(`tests must not reach ${url}`))
    return fetch(input, init)
  }
  const timers = new ManualSchedule()
  const sleeps: number[] = []
  const channel: DiscordChannel = createDiscordChannel(deps, {
    schedule: timers.schedule,
    sleep: async (milliseconds) => void sleeps.push(milliseconds),
    editIntervalMs: 1_000,
  })
  if (options.start !== false) await channel.start()
  const runner = new FakeAgentRunner()
  // Only the Discord routes, in front of a fake runner; the error renderer is the app's own.
  const app = new Hono()
  app.route('/', createDiscordRoutes(deps, { runner, discord: channel, sessions: options.sessions }))
  installErrorHandlers(app, deps.logger)
  let nextId = 1
  return {
    ...test,
    keys,
    server,
    runner,
    channel,
    app,
    timers,
    sleeps,
    /** Signs and POSTs an interaction (an `id` and `application_id` are filled in). */
    async post(payload: Record<string, unknown>, path = '/discord/interactions'): Promise<Response> {
      const body = { id: String(1_000_000 + nextId++), application_id: APPLICATION_ID, token: `interaction-token-${nextId}`, version: 1, ...payload }
      return app.request(path, await signInteraction(keys, body, { timestamp: deps.now() / 1000 }))
    },
    /** Waits for every piece of background work started so far (and any it started). */
    async settle(): Promise<void> {
      for (let seen = 0; seen < test.background.length; seen = test.background.length) {
        await Promise.all(test.background)
      }
    },
    close: () => server.close(),
  }
}

/** A slash command payload from a guild channel. */
export function guildCommand(name: string, options: Array<Record<string, unknown>> = [], channel: Record<string, unknown> = { id: '500000000000000001', name: 'general', type: 0 }) {
  return {
    type: 2,
    data: { id: '1', name, type: 1, options },
    guild_id: GUILD_ID,
    channel_id: channel.id,
    channel,
    member: { user: { id: USER_ID, username: 'alice', global_name: 'Alice', discriminator: '0' }, nick: null },
    context: 0,
    authorizing_integration_owners: { '0': GUILD_ID },
  }
}

/** A slash command payload from the bot's DM. */
export function dmCommand(name: string, options: Array<Record<string, unknown>> = [], userId = USER_ID) {
  return {
    type: 2,
    data: { id: '1', name, type: 1, options },
    channel_id: '400000000000000001',
    channel: { id: '400000000000000001', type: 1 },
    user: { id: userId, username: 'bob', global_name: 'Bob', discriminator: '0' },
    context: 1,
    authorizing_integration_owners: { '0': '0' },
  }
}

/** The Fly guide's sample config with YOUR_GUILD_ID replaced by the test guild. */
export const FLY_SAMPLE_CONFIG = JSON.stringify({
  agents: {
    defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['anthropic/claude-sonnet-4-5', 'openai/gpt-4o'] }, maxConcurrent: 4 },
    list: [{ id: 'main', default: true }],
  },
  auth: {
    profiles: {
      'anthropic:default': { mode: 'token', provider: 'anthropic' },
      'openai:default': { mode: 'token', provider: 'openai' },
    },
  },
  bindings: [{ agentId: 'main', match: { channel: 'discord' } }],
  channels: {
    discord: {
      enabled: true,
      groupPolicy: 'allowlist',
      guilds: { [GUILD_ID]: { channels: { general: { allow: true } }, requireMention: false } },
    },
  },
  gateway: { mode: 'local', bind: 'auto' },
  meta: { lastTouchedVersion: '2026.1.25' },
})
