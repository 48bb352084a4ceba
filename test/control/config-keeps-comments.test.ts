import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient } from '../helpers/ws-client.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const FILE = `{
  // JSON5: comments and trailing commas are fine
  gateway: { mode: "local" },
  agents: {
    defaults: { model: { primary: "anthropic/claude-opus-4-5" } }, // keep me
  },
}
`

async function setup() {
  const gateway = await startTestGateway({ configText: FILE })
  cleanups.push(() => gateway.close())
  const client = await openTestClient(gateway.url, { token: TEST_TOKEN })
  cleanups.push(() => client.close())
  expect((await client.connect()).ok).toBe(true)
  return { gateway, client }
}

// Issue 16, item 7: a form save changes the edited values only.
describe('config.set and config.patch keep the file layout', () => {
  it('applies a form-style save (the whole object as pretty JSON) to the text, keeping comments', async () => {
    const { gateway, client } = await setup()
    const snapshot = (await client.request('config.get', {})).payload
    const form = structuredClone(snapshot.config)
    form.agents.defaults.model.primary = 'openai/gpt-4o'
    form.session = { scope: 'global' }
    const saved = await client.request('config.set', { raw: `${JSON.stringify(form, null, 2)}\n`, baseHash: snapshot.hash })
    expect(saved.ok).toBe(true)
    const text = readFileSync(gateway.configPath, 'utf8')
    expect(text).toContain('// JSON5: comments and trailing commas are fine')
    expect(text).toContain('defaults: { model: { primary: "openai/gpt-4o" } }, // keep me')
    expect(text).toContain('  session: {\n    "scope": "global"\n  },')
    expect(gateway.deps.state.config.session?.scope).toBe('global')
  })

  it('writes raw-editor text exactly as sent', async () => {
    const { gateway, client } = await setup()
    const snapshot = (await client.request('config.get', {})).payload
    const raw = '{ gateway: { mode: "local" } } // rewritten by hand\n'
    expect((await client.request('config.set', { raw, baseHash: snapshot.hash })).ok).toBe(true)
    expect(readFileSync(gateway.configPath, 'utf8')).toBe(raw)
  })

  it('applies config.patch to the text as well', async () => {
    const { gateway, client } = await setup()
    const snapshot = (await client.request('config.get', {})).payload
    const patched = await client.request('config.patch', { raw: '{ gateway: { port: 3000 } }', baseHash: snapshot.hash })
    expect(patched.ok).toBe(true)
    expect(readFileSync(gateway.configPath, 'utf8')).toBe(FILE.replace('gateway: { mode: "local" },', 'gateway: { mode: "local", port: 3000 },'))
  })
})
