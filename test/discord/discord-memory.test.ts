import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { createDiscordChannel } from '../../src/discord/discord-channel.js'
import { createNodeWorkspaceFiles } from '../../src/runtime/node/node-workspace-files.js'
import { anthropicReply, anthropicToolUse, gate, startFakeAnthropic, type RecordedRequest } from '../helpers/fake-anthropic-server.js'
import { startFakeDiscord } from '../helpers/fake-discord-server.js'
import { makeTestDeps } from '../helpers/make-test-deps.js'
import { createMemoryWorkspaceFiles } from '../helpers/memory-workspace-files.js'
import { lastUserText } from '../helpers/runtime-fixture.js'
import { createInteractionKeys, signInteraction } from '../helpers/sign-interaction.js'
import { APPLICATION_ID, BOT_TOKEN, FLY_SAMPLE_CONFIG, guildCommand } from './discord-harness.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const isOriginalEdit = (call: { method: string; path: string }) => call.method === 'PATCH' && call.path.endsWith('/messages/@original')
const DAY = 24 * 60 * 60 * 1000

/** The text of every tool_result block in a Messages request. */
function toolResults(request: RecordedRequest): string[] {
  return request.body.messages.flatMap((message: { content: unknown }) =>
    Array.isArray(message.content)
      ? message.content.filter((block: { type: string }) => block.type === 'tool_result').map((block: { content: { text: string }[] }) => block.content.map((part) => part.text).join(''))
      : [],
  )
}

describe('Discord: tool lines in replies', () => {
  it('puts one summary line per tool call above the answer when verbose is on, and flags failures', async () => {
    const keys = await createInteractionKeys()
    const discord = await startFakeDiscord({ botToken: BOT_TOKEN, application: { id: APPLICATION_ID, verify_key: keys.publicKeyHex, name: 'Clawd' } })
    const anthropic = await startFakeAnthropic()
    const config = JSON.parse(FLY_SAMPLE_CONFIG)
    config.agents.defaults.verboseDefault = 'on'
    const test = await makeTestDeps({
      configText: JSON.stringify(config),
      env: { DISCORD_BOT_TOKEN: BOT_TOKEN, DISCORD_API_BASE_URL: discord.url, ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: anthropic.url },
    })
    test.deps.fetch = globalThis.fetch.bind(globalThis)
    test.deps.now = Date.now
    test.deps.workspaceFiles = createMemoryWorkspaceFiles()
    const channel = createDiscordChannel(test.deps, { editIntervalMs: 20 })
    await channel.start()
    const app = createApp(test.deps, { discord: channel })
    cleanups.push(() => discord.close(), () => anthropic.close(), () => Promise.allSettled(test.background))
    anthropic.script(
      anthropicToolUse([
        { id: 'toolu_a', name: 'memory_search', input: { query: 'flight' } },
        { id: 'toolu_b', name: 'mystery_tool', input: {} },
      ]),
      anthropicReply(['Nothing noted yet.']),
    )
    const body = { id: '9200001', application_id: APPLICATION_ID, token: 'token-verbose', version: 1, ...guildCommand('ask', [{ name: 'prompt', type: 3, value: 'flight?' }]) }
    await app.request('/discord/interactions', await signInteraction(keys, body, { timestamp: Date.now() / 1000 }))
    const final = await discord.waitFor((call) => isOriginalEdit(call) && call.path.includes('token-verbose') && (call.body.components ?? []).length === 0 && String(call.body.content).includes('Nothing noted'))
    expect(final.body.content).toBe('🧠 Memory Search: flight\n🧩 Mystery Tool (failed)\n\nNothing noted yet.')
  })
})

describe('Discord: memory that survives a new session', () => {
  it('remembers "my flight is on Friday" and answers from memory in a new session the next day', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'discord-memory-'))
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }))
    const keys = await createInteractionKeys()
    const discord = await startFakeDiscord({ botToken: BOT_TOKEN, application: { id: APPLICATION_ID, verify_key: keys.publicKeyHex, name: 'Clawd' } })
    const anthropic = await startFakeAnthropic()
    const test = await makeTestDeps({
      configText: FLY_SAMPLE_CONFIG,
      env: { DISCORD_BOT_TOKEN: BOT_TOKEN, DISCORD_API_BASE_URL: discord.url, ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: anthropic.url },
      state: { stateDir },
    })
    let now = Date.parse('2026-01-28T10:00:00Z')
    test.deps.now = () => now
    test.deps.fetch = globalThis.fetch.bind(globalThis)
    test.deps.workspaceFiles = createNodeWorkspaceFiles()
    const channel = createDiscordChannel(test.deps, { editIntervalMs: 20 })
    await channel.start()
    const app = createApp(test.deps, { discord: channel })
    cleanups.push(() => discord.close(), () => anthropic.close(), () => Promise.allSettled(test.background))
    let id = 1
    const ask = async (prompt: string) => {
      const body = { id: String(9_100_000 + id++), application_id: APPLICATION_ID, token: `token-${id}`, version: 1, ...guildCommand('ask', [{ name: 'prompt', type: 3, value: prompt }]) }
      const ack = await app.request('/discord/interactions', await signInteraction(keys, body, { timestamp: now / 1000 }))
      expect(await ack.json()).toMatchObject({ type: 5 })
      return body.token
    }

    // Day 1: the fake model stores the fact with `write`, then confirms.
    anthropic.script(
      anthropicToolUse([{ id: 'toolu_w1', name: 'write', input: { path: 'memory/2026-01-28.md', content: '- The user\'s flight is on Friday.\n' } }]),
      anthropicReply(['Got it — I noted that your flight is on Friday.']),
    )
    const firstToken = await ask('remember that my flight is on Friday')
    await discord.waitFor((call) => isOriginalEdit(call) && call.path.includes(firstToken) && call.body.content === 'Got it — I noted that your flight is on Friday.' && (call.body.components ?? []).length === 0)
    expect(toolResults(anthropic.requests[1])).toEqual(['Successfully wrote 34 bytes to memory/2026-01-28.md'])
    expect(readdirSync(join(stateDir, 'workspace', 'memory'))).toEqual(['2026-01-28.md'])
    const firstSession = (await test.deps.storage.getKeys()).length

    // Day 2: the daily reset starts a new session; the model searches memory and answers from what it finds.
    now += DAY
    const answerGate = gate()
    let calls = 0
    anthropic.script((request) => {
      calls += 1
      if (calls === 1) {
        expect(JSON.stringify(request.body.messages)).not.toContain('Friday')
        expect(request.body.system.map((block: { text: string }) => block.text).join('')).toContain('## Memory Recall')
        return anthropicToolUse([{ id: 'toolu_s1', name: 'memory_search', input: { query: 'flight' } }])
      }
      const [found] = toolResults(request)
      const hit = JSON.parse(found).results[0]
      const day = /flight is on (\w+)/.exec(hit.snippet)?.[1] ?? 'unknown'
      return anthropicReply([answerGate, `Your flight is on ${day} (from ${hit.path}).`])
    })
    const secondToken = await ask('when is my flight?')
    const status = await discord.waitFor((call) => isOriginalEdit(call) && call.path.includes(secondToken) && String(call.body.content).includes('Searching memory'))
    expect(status.body.content).toBe('_🧠 Searching memory: flight…_')
    answerGate.open()
    const final = await discord.waitFor((call) => isOriginalEdit(call) && call.path.includes(secondToken) && (call.body.components ?? []).length === 0 && String(call.body.content).startsWith('Your flight'))
    expect(final.body.content).toBe('Your flight is on Friday (from memory/2026-01-28.md).')
    expect(lastUserText({ messages: anthropic.requests.at(-1)!.body.messages.slice(0, 1) })).toContain('when is my flight?')
    expect(readFileSync(join(stateDir, 'workspace', 'memory', '2026-01-28.md'), 'utf8')).toContain('Friday')
    expect((await test.deps.storage.getKeys()).length).toBeGreaterThan(firstSession)
  })
})
