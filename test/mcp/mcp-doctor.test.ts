import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startMcpTestServer, type McpTestServer } from '../helpers/mcp-test-server.js'
import { makeSandbox, spawnCli } from '../helpers/spawn-gateway.js'

let server: McpTestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('doctor: MCP servers', () => {
  it('connects to each server as the gateway would: ok with a tool count, a warning (not a failure) when it cannot', async () => {
    server = await startMcpTestServer({ token: 'doctor-notes-token' })
    const sandbox = makeSandbox()
    writeFileSync(
      join(sandbox.stateDir, 'clawdbot.json'),
      `{
        gateway: { mode: "local" },
        mcp: { servers: {
          notes: { url: "${server.url}", allowPrivateNetwork: true, headers: { Authorization: "Bearer \${NOTES_TOKEN}" } },
          guarded: { url: "${server.url}" },
          off: { url: "${server.url}", enabled: false },
        } },
      }`,
    )
    const cli = spawnCli(['doctor', '--json'], { HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir, ANTHROPIC_API_KEY: 'sk-ant', NOTES_TOKEN: 'doctor-notes-token' })
    await cli.exited
    const report = JSON.parse(cli.stdout.join('\n')) as { findings: { check: string; status: string; message: string }[] }
    const mcp = report.findings.filter((finding) => finding.check === 'mcp')
    expect(mcp).toHaveLength(3)
    expect(mcp[0]).toMatchObject({ status: 'ok', message: expect.stringMatching(new RegExp(`^notes: connected to ${server.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, 4 tools \\(\\d+ ms\\)$`)) })
    expect(mcp[1]).toMatchObject({ status: 'warn', message: expect.stringMatching(/^guarded: cannot connect to .*; its tools are not offered until it answers$/) })
    expect(mcp[2]).toEqual({ check: 'mcp', status: 'ok', message: 'off: disabled by config' })
    expect(cli.stdout.join('\n')).not.toContain('doctor-notes-token')
  })
})
