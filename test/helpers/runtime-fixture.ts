import { createAgentRuntime } from '../../src/agent/agent-runtime.js'
import type { RunEvent } from '../../src/agent/run-events.js'
import { startFakeAnthropic } from './fake-anthropic-server.js'
import { startFakeOpenAi } from './fake-openai-server.js'
import { makeTestDeps } from './make-test-deps.js'
import { createMemoryWorkspaceFiles } from './memory-workspace-files.js'

/**
 * A real agent runtime whose providers are the real SDKs pointed at local fake Anthropic and OpenAI servers.
 * `config` is merged under `agents.defaults` unless it has its own top-level keys.
 */
export async function startRuntimeFixture(config: Record<string, unknown> = {}) {
  const anthropic = await startFakeAnthropic()
  const openai = await startFakeOpenAi()
  const configText = JSON.stringify({
    agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-4o'] } } },
    ...config,
  })
  const fixture = await makeTestDeps({
    configText,
    env: {
      ANTHROPIC_API_KEY: 'sk-ant-test-key',
      OPENAI_API_KEY: 'sk-openai-test-key',
      ANTHROPIC_BASE_URL: anthropic.url,
      OPENAI_BASE_URL: openai.url,
    },
  })
  // The fake servers listen on loopback; this is the only fetch these tests allow.
  fixture.deps.fetch = globalThis.fetch.bind(globalThis)
  fixture.deps.now = Date.now
  const workspace = createMemoryWorkspaceFiles()
  fixture.deps.workspaceFiles = workspace
  const runtime = createAgentRuntime(fixture.deps)
  const events: RunEvent[] = []
  runtime.subscribe((event) => events.push(event))
  return {
    ...fixture,
    runtime,
    anthropic,
    openai,
    events,
    /** Memory files by `<workspace>/<path>`; the default workspace is `/state/workspace`. */
    workspace,
    async close() {
      await Promise.allSettled(fixture.background)
      await Promise.all([anthropic.close(), openai.close()])
    },
  }
}

/** Text of the last user message a provider request carried (either wire format). */
export function lastUserText(body: { messages: { role: string; content: unknown }[] }): string {
  const last = [...body.messages].reverse().find((message) => message.role === 'user')
  if (!last) return ''
  if (typeof last.content === 'string') return last.content
  return (last.content as { type: string; text?: string }[]).filter((part) => part.type === 'text').map((part) => part.text).join('\n')
}
