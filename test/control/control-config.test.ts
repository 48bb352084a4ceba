import JSON5 from 'json5'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient, type TestClient } from '../helpers/ws-client.js'

const gateways: { close(): Promise<void> }[] = []
const clients: TestClient[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()))
})

const INITIAL = '// my gateway\n{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } } }\n'

async function connected(configText = INITIAL) {
  const gateway = await startTestGateway({ configText })
  gateways.push(gateway)
  const client = await openTestClient(gateway.url, { token: TEST_TOKEN })
  clients.push(client)
  expect((await client.connect()).ok).toBe(true)
  return { gateway, client }
}

describe('WS config.* on a real Node server', () => {
  it('get → stale set refused → fresh set written to disk, applied live, gateway still serving', async () => {
    const { gateway, client } = await connected()
    const first = (await client.request('config.get', {})).payload
    expect(first).toMatchObject({ path: gateway.configPath, exists: true, raw: INITIAL, valid: true, issues: [], hash: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(first.config).toEqual({ gateway: { mode: 'local' }, agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } } })

    const next = '{ gateway: { mode: "local" }, agents: { defaults: { model: { primary: "openai/gpt-4o" } } } }\n'
    const stale = await client.request('config.set', { raw: next, baseHash: '0'.repeat(64) })
    expect(stale.error).toEqual({ code: 'INVALID_REQUEST', message: 'config changed since last load; re-run config.get and retry' })
    const missing = await client.request('config.set', { raw: next })
    expect(missing.error!.message).toMatch(/base hash required/)
    expect(readFileSync(gateway.configPath, 'utf8')).toBe(INITIAL)

    const saved = await client.request('config.set', { raw: next, baseHash: first.hash })
    expect(saved.payload).toMatchObject({ ok: true, path: gateway.configPath, reload: { ok: true, message: 'applied live' } })
    expect(gateway.reloads).toHaveLength(1)
    expect(readFileSync(gateway.configPath, 'utf8')).toBe(next)
    expect(existsSync(`${gateway.configPath}.bak`)).toBe(true)
    expect(gateway.deps.state.config.agents.defaults.model?.primary).toBe('openai/gpt-4o')

    const after = (await client.request('config.get', {})).payload
    expect(after.raw).toBe(next)
    expect(after.hash).toBe(saved.payload.hash)
    expect(after.hash).not.toBe(first.hash)
    expect((await client.request('models.list', {})).payload.models[0]).toMatchObject({ id: 'gpt-4o', provider: 'openai' })
    expect((await fetch(`${gateway.httpUrl}/health`)).status).toBe(200)
    // The old hash is now stale, so a second writer working from the first read is refused.
    expect((await client.request('config.set', { raw: INITIAL, baseHash: first.hash })).ok).toBe(false)
  })

  it('returns validation issues in upstream shape and writes nothing', async () => {
    const { gateway, client } = await connected()
    const { hash } = (await client.request('config.get', {})).payload
    const invalid = await client.request('config.set', { raw: '{ gateway: { mode: "local", bind: "all" }, bogus: 1 }', baseHash: hash })
    expect(invalid.error).toMatchObject({ code: 'INVALID_REQUEST', message: 'invalid config' })
    expect(invalid.error!.details.issues).toEqual(expect.arrayContaining([{ path: '', message: 'Unrecognized key: "bogus"' }]))
    const unparsable = await client.request('config.set', { raw: '{ gateway: ', baseHash: hash })
    expect(unparsable.error!.message).toMatch(/^JSON5 parse failed: SyntaxError: JSON5:/)
    expect(readFileSync(gateway.configPath, 'utf8')).toBe(INITIAL)
    expect(gateway.reloads).toHaveLength(0)
  })

  it('reports an invalid file on disk through config.get', async () => {
    const { gateway, client } = await connected()
    // Break the file behind the gateway's back, as a hand edit would.
    writeFileSync(gateway.configPath, '{ gateway: { mode: "nope" } }')
    const snapshot = (await client.request('config.get', {})).payload
    expect(snapshot.valid).toBe(false)
    expect(snapshot.issues).toEqual([{ path: 'gateway.mode', message: 'Invalid option: expected one of "local"|"remote"' }])
    expect(snapshot.config).toEqual({ gateway: { mode: 'nope' } })
  })

  it('config.apply and config.patch write and reload too', async () => {
    const { gateway, client } = await connected()
    let { hash } = (await client.request('config.get', {})).payload
    const applied = await client.request('config.apply', { raw: '{ gateway: { mode: "local" } }\n', baseHash: hash, sessionKey: 'main' })
    expect(applied.payload).toMatchObject({ ok: true, restart: null, reload: { ok: true } })
    hash = applied.payload.hash
    const patched = await client.request('config.patch', { raw: '{ agents: { defaults: { model: { primary: "openai/gpt-4o" } } } }', baseHash: hash })
    expect(patched.payload.config).toEqual({ gateway: { mode: 'local' }, agents: { defaults: { model: { primary: 'openai/gpt-4o' } } } })
    // The patch is applied to the file's JSON5 text (layout kept), so read it back as JSON5.
    expect(JSON5.parse(readFileSync(gateway.configPath, 'utf8'))).toEqual(patched.payload.config)
    expect(gateway.reloads).toHaveLength(2)
  })

  it('config.schema is a draft-07 object schema with sensitive hints', async () => {
    const { client } = await connected()
    const { payload } = await client.request('config.schema', {})
    expect(payload.schema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' })
    expect(payload.schema.properties.gateway.properties.bind).toMatchObject({ type: 'string', enum: expect.arrayContaining(['loopback', 'lan']) })
    expect(payload.uiHints).toMatchObject({
      'gateway.auth.token': { sensitive: true },
      'gateway.auth.password': { sensitive: true },
      'channels.discord.token': { sensitive: true },
      'models.providers.*.apiKey': { sensitive: true },
    })
    expect(payload).toMatchObject({ version: expect.any(String), generatedAt: expect.any(String) })
  })
})
