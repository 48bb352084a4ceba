import { describe, expect, it } from 'vitest'
import { toConfigIssues } from './config-issue.js'
import { ConfigSchema } from './schema.js'

function issuesOf(input: unknown) {
  const result = ConfigSchema.safeParse(input)
  return result.success ? [] : toConfigIssues(result.error)
}

describe('tools and memorySearch config (strict, upstream shapes)', () => {
  it('accepts upstream tool configs, including the documented readability/firecrawl keys', () => {
    expect(
      issuesOf({
        tools: {
          profile: 'coding',
          allow: ['group:web', 'memory_*'],
          deny: ['exec'],
          byProvider: { 'openai/gpt-4o-mini': { profile: 'minimal' }, openai: { deny: ['web_fetch'] } },
          web: {
            search: { enabled: true, provider: 'perplexity', apiKey: 'x', maxResults: 5, timeoutSeconds: 30, cacheTtlMinutes: 0, perplexity: { apiKey: 'pplx-1', baseUrl: 'https://api.perplexity.ai', model: 'perplexity/sonar' } },
            fetch: { enabled: true, maxChars: 20000, timeoutSeconds: 10, cacheTtlMinutes: 15, maxRedirects: 0, userAgent: 'bot', readability: true, firecrawl: { enabled: false } },
          },
          agentToAgent: { enabled: true, allow: ['main', 'work*'] },
          exec: { host: 'sandbox', applyPatch: { enabled: true } },
          elevated: { enabled: false, allowFrom: { discord: ['123', 456] } },
          subagents: { tools: { deny: ['cron'] } },
          sandbox: { tools: { allow: ['read'] } },
        },
        agents: {
          defaults: { memorySearch: { enabled: true, sources: ['memory'], provider: 'openai', fallback: 'none', query: { maxResults: 6, minScore: 0.35, hybrid: { enabled: true, vectorWeight: 0.7, textWeight: 0.3, candidateMultiplier: 4 } }, chunking: { tokens: 400, overlap: 80 }, sync: { watch: true } } },
          list: [{ id: 'main', tools: { profile: 'messaging', allow: ['sessions_*'], exec: { approvalRunningNoticeMs: 5 } }, memorySearch: { enabled: false } }],
        },
      }),
    ).toEqual([])
  })

  it('rejects unknown keys and wrong values where upstream does', () => {
    expect(issuesOf({ tools: { web: { search: { provider: 'google' } } } })[0].path).toBe('tools.web.search.provider')
    expect(issuesOf({ tools: { profile: 'everything' } })[0].path).toBe('tools.profile')
    expect(issuesOf({ tools: { web: { fetch: { maxChars: 0 } } } })[0].path).toBe('tools.web.fetch.maxChars')
    expect(issuesOf({ tools: { mystery: true } })).toEqual([{ path: 'tools', message: 'Unrecognized key: "mystery"' }])
    // There is no per-agent `web`.
    expect(issuesOf({ agents: { list: [{ id: 'main', tools: { web: {} } }] } })).toEqual([{ path: 'agents.list.0.tools', message: 'Unrecognized key: "web"' }])
    expect(issuesOf({ agents: { defaults: { memorySearch: { query: { hybrid: { candidateMultiplier: 50 } } } } } })[0].path).toBe('agents.defaults.memorySearch.query.hybrid.candidateMultiplier')
    expect(issuesOf({ agents: { defaults: { memorySearch: { vectors: true } } } })).toEqual([{ path: 'agents.defaults.memorySearch', message: 'Unrecognized key: "vectors"' }])
  })
})
