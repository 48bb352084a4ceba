import { afterEach, expect } from 'vitest'
import type { ControlRouteExtras } from '../../src/control/routes.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type Frame, type TestClient } from '../helpers/ws-client.js'
import { startFakeAnthropic, type FakeServer } from '../helpers/fake-anthropic-server.js'
import { startFakeDiscord, type FakeDiscordServer } from '../helpers/fake-discord-server.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'

export const BOT_TOKEN = 'api-test-discord-bot-token'

/** Connect params as upstream's CLI sends them (operator with admin, approvals and pairing scopes). */
export const CLI_CONNECT = {
  minProtocol: 3,
  maxProtocol: 3,
  client: { id: 'cli', version: '2026.1.24-3', platform: 'linux', mode: 'cli' },
  role: 'operator',
  scopes: ['operator.admin', 'operator.approvals', 'operator.pairing'],
  caps: [],
  auth: { token: TEST_TOKEN },
}

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A real gateway on port 0 with fake Anthropic and Discord behind it; `connect` opens a CLI-like client. */
export async function startApiFixture(options: { configText?: string; control?: ControlRouteExtras } = {}) {
  const anthropic: FakeServer = await startFakeAnthropic()
  const discord: FakeDiscordServer = await startFakeDiscord({ botToken: BOT_TOKEN, application: { id: '800000000000000001', verify_key: '00'.repeat(32) } })
  const configText = options.configText ?? '{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } } }'
  const gateway = await startTestGateway({ configText, control: options.control })
  gateway.deps.env = { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: anthropic.url, DISCORD_BOT_TOKEN: BOT_TOKEN, DISCORD_API_BASE_URL: discord.url }
  gateway.deps.fetch = globalThis.fetch.bind(globalThis)
  cleanups.push(() => anthropic.close(), () => discord.close(), () => gateway.close(), () => Promise.allSettled(gateway.background))
  const connect = async (params: Record<string, unknown> = CLI_CONNECT): Promise<TestClient> => {
    const client = await openTestClient(gateway.url)
    cleanups.push(() => client.close())
    await client.waitFor((frame) => frame.event === 'connect.challenge')
    const hello = await client.request('connect', params)
    expect(hello.ok).toBe(true)
    return client
  }
  return { anthropic, discord, gateway, connect }
}

let nextId = 0

/**
 * Sends a request the way upstream's CLI does for `agent` (and `gateway call --expect-final`): every `res` for the
 * id is recorded, and the call resolves on the first one that is not the `accepted` ack.
 */
export async function callExpectFinal(client: TestClient, method: string, params: unknown, timeoutMs = 10_000) {
  const id = `cli-${++nextId}`
  const isResponse = (frame: Frame) => frame.type === 'res' && frame.id === id
  const final = client.waitFor((frame) => isResponse(frame) && frame.payload?.status !== 'accepted', timeoutMs)
  client.socket.send(JSON.stringify({ type: 'req', id, method, params }))
  const frame = await final
  return { final: frame, responses: client.received.filter(isResponse) }
}

/** What `clawdbot agent` prints in text mode for a final payload (spec/agent-api.md §1.6). */
export function cliAgentOutput(payload: { summary?: string; result?: { payloads?: { text?: string; mediaUrls?: string[]; mediaUrl?: string | null }[] } }): string {
  const payloads = payload.result?.payloads ?? []
  if (payloads.length === 0) return payload.summary ?? 'No reply from agent.'
  return payloads
    .flatMap((entry) => [(entry.text ?? '').trimEnd(), ...(entry.mediaUrls ?? (entry.mediaUrl ? [entry.mediaUrl] : [])).map((url) => `MEDIA:${url}`)])
    .join('\n')
}

/** The params `clawdbot agent --message <m>` sends besides what the flags add. */
export function cliAgentParams(message: string, extra: Record<string, unknown> = {}) {
  return { message, channel: 'whatsapp', deliver: false, timeout: 600, idempotencyKey: crypto.randomUUID(), ...extra }
}
