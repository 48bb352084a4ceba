import { readFileSync, writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { parseConfigText } from '../../src/config/load-config.js'
import { makeTestDeps, TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type TestClient } from '../helpers/ws-client.js'

const SECRETS = {
  ANTHROPIC_API_KEY: 'sk-ant-test-0123456789abcdef',
  OPENAI_API_KEY: 'sk-openai-test-9876543210',
  DISCORD_BOT_TOKEN: 'discord-bot-token-abcdefghij',
  AGENT_LABEL: 'label-from-env-value',
}

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A gateway whose environment holds the secrets, with a reload that resolves `${VAR}` from it (as on Node). */
async function gatewayWithEnv(configText: string) {
  const gateway = await startTestGateway()
  cleanups.push(gateway.close)
  writeFileSync(gateway.configPath, configText)
  Object.assign(gateway.deps.env, SECRETS)
  const io = () => ({ readText: gateway.deps.readTextFile, env: { ...gateway.deps.env }, homeDir: '/home/test' })
  const reload = async () => {
    const result = await parseConfigText(readFileSync(gateway.configPath, 'utf8'), gateway.configPath, io())
    if (!result.ok) return { ok: false, message: result.issues.map((issue) => issue.message).join(', ') }
    gateway.deps.state.config = result.config
    return { ok: true, message: 'applied live' }
  }
  gateway.deps.reloadConfig = reload
  expect((await reload()).ok).toBe(true)
  const socket = await openTestClient(gateway.url, { token: TEST_TOKEN })
  cleanups.push(() => socket.close())
  expect((await socket.connect()).ok).toBe(true)
  return { gateway, socket }
}

async function patch(socket: TestClient, raw: string) {
  const snapshot = await socket.request('config.get', {})
  return socket.request('config.patch', { raw, baseHash: snapshot.payload.hash })
}

function expectNoSecret(text: string) {
  for (const value of Object.values(SECRETS)) expect(text).not.toContain(value)
}

describe('finding 2: env-substituted values never reach a client', () => {
  it('refuses ${VAR} in agent names and identities, which every client sees', async () => {
    const { socket } = await gatewayWithEnv('{ gateway: { mode: "local" } }\n')
    const response = await patch(socket, '{ agents: { list: [{ id: "main", name: "${ANTHROPIC_API_KEY}|${DISCORD_BOT_TOKEN}" }] } }')
    expect(response.ok).toBe(false)
    expect(response.error!.details.issues).toEqual([
      expect.objectContaining({ path: 'agents.list.0.name', message: expect.stringMatching(/shown to clients, so env references are not allowed/) }),
      expect.objectContaining({ path: 'agents.list.0.name' }),
    ])
    const identity = await patch(socket, '{ agents: { list: [{ id: "main", identity: { name: "${OPENAI_API_KEY}" } }] } }')
    expect(identity.ok).toBe(false)
    expectNoSecret(JSON.stringify(socket.received))
  })

  it('masks a substituted value wherever else it lands: models.list, agents.list, sessions', async () => {
    const { socket } = await gatewayWithEnv(
      '{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "openai/${OPENAI_API_KEY}", fallbacks: ["anthropic/${ANTHROPIC_API_KEY}"] } }, list: [{ id: "main", workspace: "/w/${AGENT_LABEL}" }] } }\n',
    )
    const models = await socket.request('models.list', {})
    expect(models.payload.models.map((model: { id: string }) => model.id)).toEqual(['${OPENAI_API_KEY}', '${ANTHROPIC_API_KEY}'])
    await socket.request('agents.list', {})
    await socket.request('agent.identity.get', {})
    await socket.request('health', {})
    // config.get still shows the file itself, which holds the references and not the values.
    const snapshot = await socket.request('config.get', {})
    expect(snapshot.payload.raw).toContain('openai/${OPENAI_API_KEY}')
    expectNoSecret(JSON.stringify(socket.received))
  })

  it('masks substituted values in HTTP JSON responses too (the health report lists agent ids)', async () => {
    const { deps } = await makeTestDeps({ env: SECRETS })
    const loaded = await parseConfigText('{ agents: { list: [{ id: "main" }, { id: "${AGENT_LABEL}" }] } }', '/state/clawdbot.json', { readText: async () => undefined, env: { ...SECRETS }, homeDir: '/h' })
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues))
    deps.state.config = loaded.config
    const response = await createApp(deps).request('/api/health', { headers: { authorization: `Bearer ${TEST_TOKEN}` } })
    const text = await response.text()
    expect(text).toContain('"agentId":"${AGENT_LABEL}"')
    expectNoSecret(text)
  })
})
