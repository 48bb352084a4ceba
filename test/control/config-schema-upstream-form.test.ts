import { afterEach, describe, expect, it } from 'vitest'
import { unsupportedFormPaths } from '../helpers/upstream-form-support.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient } from '../helpers/ws-client.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function schemaDocument() {
  const gateway = await startTestGateway()
  cleanups.push(() => gateway.close())
  const client = await openTestClient(gateway.url, { token: TEST_TOKEN })
  cleanups.push(() => client.close())
  expect((await client.connect()).ok).toBe(true)
  return (await client.request('config.schema', {})).payload
}

// Issue 16, item 9: upstream's form must be able to edit every section.
describe('config.schema for upstream forms', () => {
  it('has no node upstream\'s form would refuse to edit', async () => {
    const { schema } = await schemaDocument()
    expect(unsupportedFormPaths(schema)).toEqual([])
  })

  it('gives model fields their object shape and the Discord maps editable entries', async () => {
    const { schema } = await schemaDocument()
    const agentModel = schema.properties.agents.properties.list.items.properties.model
    expect(agentModel).toMatchObject({ type: 'object', properties: { primary: { type: 'string' }, fallbacks: { type: 'array' } } })
    const guild = schema.properties.channels.properties.discord.properties.guilds.additionalProperties
    expect(guild.type).toBe('object')
    expect(guild.properties.channels.additionalProperties.properties.tools).toMatchObject({ type: 'object' })
    expect(schema.properties.browser).toMatchObject({ type: 'object', description: 'Kept in the file (so it stays valid upstream), not used here.' })
  })

  it('labels and orders the sections this gateway uses and marks the others as kept, not used', async () => {
    const { uiHints } = await schemaDocument()
    expect(uiHints.gateway).toMatchObject({ label: 'Gateway', group: 'Used by this gateway', order: 0, help: expect.stringContaining('Port') })
    expect(uiHints.browser).toMatchObject({ label: 'Browser (not used here)', group: 'Kept, not used here', advanced: true })
    expect(uiHints.tools).toMatchObject({ label: 'Tools', group: 'Used by this gateway' })
    expect(uiHints['gateway.bind'].help).toContain('tailnet is upstream-only')
    expect(uiHints['gateway.auth.token']).toMatchObject({ sensitive: true, label: 'Token' })
    expect(uiHints['channels.discord.token'].sensitive).toBe(true)
    // Sections added with MCP, cron, hooks and Telegram are "used here", and their secrets are masked.
    for (const section of ['mcp', 'cron', 'hooks']) expect(uiHints[section]).toMatchObject({ group: 'Used by this gateway' })
    for (const field of ['channels.telegram.botToken', 'mcp.servers.*.headers', 'hooks.token']) expect(uiHints[field]?.sensitive).toBe(true)
  })
})
