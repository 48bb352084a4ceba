import { afterEach, describe, expect, it } from 'vitest'
import type { DiscordSessionControl } from '../../src/discord/routes.js'
import { APPLICATION_ID, createHarness, dmCommand, guildCommand, USER_ID } from './discord-harness.js'
import type { DiscordCall } from '../helpers/fake-discord-server.js'

type Harness = Awaited<ReturnType<typeof createHarness>>
let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const OWNER_CONFIG = JSON.stringify({
  agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' }, models: { 'anthropic/claude-opus-4-5': { alias: 'opus' }, 'openai/gpt-4o': {} } } },
  channels: { discord: { dm: { policy: 'allowlist', allowFrom: [USER_ID] }, guilds: { '*': {} } } },
})
const isEdit = (call: DiscordCall) => call.method === 'PATCH' && call.path.endsWith('/messages/@original')
const lastEdit = (current: Harness) => current.server.calls.filter(isEdit).at(-1)?.body

describe('/ask entry points', () => {
  it('opens a modal when /ask has no prompt, and runs the submitted text', async () => {
    harness = await createHarness()
    const modal = (await (await harness.post(guildCommand('ask', [{ name: 'private', type: 5, value: true }]))).json()) as any
    expect(modal).toMatchObject({ type: 9, data: { custom_id: 'ask-modal:private', title: 'Ask Clawd' } })
    expect(modal.data.components[0].components[0]).toMatchObject({ type: 4, style: 2, custom_id: 'prompt', max_length: 4000 })
    const submit = {
      ...guildCommand('ask'),
      type: 5,
      data: { custom_id: 'ask-modal:private', components: [{ type: 1, components: [{ type: 4, custom_id: 'prompt', value: 'A long question' }] }] },
    }
    expect(await (await harness.post(submit)).json()).toEqual({ type: 5, data: { flags: 64 } })
    ;(await harness.runner.nextRun()).end({ text: 'answer' })
    await harness.settle()
    expect(harness.runner.sent[0]?.text).toBe('A long question')
  })

  it('asks about a message through the "Ask <bot>" context menu', async () => {
    harness = await createHarness()
    const payload = {
      ...guildCommand('Ask Clawd'),
      data: {
        id: '2',
        name: 'Ask Clawd',
        type: 3,
        target_id: '300',
        resolved: { messages: { '300': { id: '300', content: 'Is this right?', author: { id: '9', username: 'carol' } } } },
      },
    }
    expect(await (await harness.post(payload)).json()).toEqual({ type: 5 })
    ;(await harness.runner.nextRun()).end({ text: 'yes' })
    await harness.settle()
    expect(harness.runner.sent[0]?.text).toBe('About this message from carol:\n\nIs this right?')
  })

  it('downloads an image attachment as base64', async () => {
    harness = await createHarness()
    harness.server.files.set('cat.png', { contentType: 'image/png', bytes: new Uint8Array([137, 80, 78, 71]) })
    const payload = guildCommand('ask', [
      { name: 'prompt', type: 3, value: 'What is this?' },
      { name: 'file', type: 11, value: '77' },
    ])
    ;(payload.data as any).resolved = { attachments: { '77': { id: '77', filename: 'cat.png', url: `${harness.server.origin}/cdn/cat.png`, content_type: 'image/png', size: 4 } } }
    expect(await (await harness.post(payload)).json()).toEqual({ type: 5 })
    ;(await harness.runner.nextRun()).end({ text: 'a cat' })
    await harness.settle()
    expect(harness.runner.sent[0]?.images).toEqual([{ data: 'iVBORw==', mimeType: 'image/png' }])
  })
})

describe('control commands', () => {
  it('/new <model> and /reset send the reset triggers to the conversation session, ephemerally', async () => {
    harness = await createHarness({ configText: OWNER_CONFIG })
    expect(await (await harness.post(guildCommand('new', [{ name: 'model', type: 3, value: 'openai/gpt-4o' }]))).json()).toEqual({ type: 5, data: { flags: 64 } })
    ;(await harness.runner.nextRun()).end({ text: 'Fresh start.' })
    await harness.post(dmCommand('reset'))
    ;(await harness.runner.nextRun()).end({ text: 'Reset.' })
    await harness.settle()
    expect(harness.runner.sent.map((message) => [message.text, message.sessionKey])).toEqual([
      ['/new openai/gpt-4o', 'agent:main:discord:channel:500000000000000001'],
      ['/reset', 'agent:main:main'],
    ])
  })

  it('/model lists the allowed models, and switches through the session control', async () => {
    const calls: string[] = []
    const sessions: DiscordSessionControl = {
      getModel: async () => undefined,
      setModel: async (sessionKey, agentId, ref) => void calls.push(`${agentId} ${sessionKey} ${ref}`),
    }
    harness = await createHarness({ configText: OWNER_CONFIG, sessions })
    await harness.post(dmCommand('model'))
    await harness.settle()
    expect(lastEdit(harness).content).toBe('Current model: `anthropic/claude-opus-4-5`\n\nAvailable:\n• `anthropic/claude-opus-4-5` (opus)\n• `openai/gpt-4o`')

    await harness.post(dmCommand('model', [{ name: 'name', type: 3, value: 'openai/gpt-4o' }]))
    await harness.settle()
    expect(calls).toEqual(['main agent:main:main openai/gpt-4o'])
    expect(lastEdit(harness).content).toBe('Model set to `openai/gpt-4o` for this conversation.')

    await harness.post(dmCommand('model', [{ name: 'name', type: 3, value: 'groq/llama' }]))
    await harness.settle()
    expect(lastEdit(harness).content).toBe('Model "groq/llama" is not allowed. Use /model to list available models.')

    // Issue 16, item 1: an unknown provider is refused before anything is stored.
    await harness.post(dmCommand('model', [{ name: 'name', type: 3, value: 'nosuchprovider/foo' }]))
    await harness.settle()
    expect(lastEdit(harness).content).toMatch(/^Unknown model provider "nosuchprovider"; nothing was changed\./)
    expect(calls).toEqual(['main agent:main:main openai/gpt-4o'])
  })

  it('autocompletes model names from the allowlist', async () => {
    harness = await createHarness({ configText: OWNER_CONFIG })
    const payload = { ...dmCommand('model', [{ name: 'name', type: 3, value: 'gpt', focused: true }]), type: 4 }
    expect(await (await harness.post(payload)).json()).toEqual({ type: 8, data: { choices: [{ name: 'openai/gpt-4o', value: 'openai/gpt-4o' }] } })
  })

  it('/stop aborts the conversation run; /help answers at once', async () => {
    harness = await createHarness({ configText: OWNER_CONFIG })
    expect(await (await harness.post(dmCommand('stop'))).json()).toMatchObject({ type: 4, data: { content: 'Nothing is running here.', flags: 64 } })
    expect(harness.runner.aborted).toEqual(['agent:main:main'])
    const help = (await (await harness.post(dmCommand('help'))).json()) as any
    expect(help.data.content).toContain('/ask')
  })

  it('answers an unknown (stale) command instead of timing out', async () => {
    harness = await createHarness()
    expect(await (await harness.post(guildCommand('skill'))).json()).toMatchObject({ type: 4, data: { flags: 64 } })
  })

  it('registers webhooks under the application id of the interaction', async () => {
    harness = await createHarness({ configText: OWNER_CONFIG })
    await harness.post(dmCommand('status'))
    await harness.settle()
    expect(harness.server.calls.find(isEdit)?.path.startsWith(`/webhooks/${APPLICATION_ID}/`)).toBe(true)
  })
})
