import { z } from 'zod'

/*
 * `tools.*`, per-agent `tools` and `memorySearch`, strict with upstream's shapes (unknown keys are errors).
 * Keys this gateway accepts but does not act on (exec, elevated, media, links, sandbox) are still checked.
 * @see spec/agent-tools.md §2
 */

const names = z.array(z.string())
const ProfileSchema = z.union([z.literal('minimal'), z.literal('coding'), z.literal('messaging'), z.literal('full')])

/** allow/deny lists (channel group policies, sandbox, subagents). */
export const AllowDenySchema = z.object({ allow: names.optional(), deny: names.optional() }).strict()

const ProviderPolicySchema = z.object({ profile: ProfileSchema.optional(), allow: names.optional(), deny: names.optional() }).strict()

const ExecShape = {
  host: z.string().optional(),
  security: z.string().optional(),
  ask: z.string().optional(),
  node: z.string().optional(),
  pathPrepend: names.optional(),
  safeBins: names.optional(),
  backgroundMs: z.number().int().positive().optional(),
  timeoutSec: z.number().int().positive().optional(),
  cleanupMs: z.number().int().positive().optional(),
  notifyOnExit: z.boolean().optional(),
  applyPatch: z.object({ enabled: z.boolean().optional(), allowModels: names.optional() }).strict().optional(),
}

const ElevatedSchema = z
  .object({ enabled: z.boolean().optional(), allowFrom: z.record(z.string(), z.array(z.union([z.string(), z.number()]))).optional() })
  .strict()

const WebSearchSchema = z
  .object({
    enabled: z.boolean().optional(),
    provider: z.union([z.literal('brave'), z.literal('perplexity')]).optional(),
    apiKey: z.string().optional(),
    maxResults: z.number().int().positive().optional(),
    timeoutSeconds: z.number().int().positive().optional(),
    cacheTtlMinutes: z.number().nonnegative().optional(),
    perplexity: z.object({ apiKey: z.string().optional(), baseUrl: z.string().optional(), model: z.string().optional() }).strict().optional(),
  })
  .strict()

const WebFetchSchema = z
  .object({
    enabled: z.boolean().optional(),
    maxChars: z.number().int().positive().optional(),
    timeoutSeconds: z.number().int().positive().optional(),
    cacheTtlMinutes: z.number().nonnegative().optional(),
    maxRedirects: z.number().int().nonnegative().optional(),
    userAgent: z.string().optional(),
    // Documented upstream but missing from its strict schema; accepted here, and Firecrawl is never used.
    readability: z.boolean().optional(),
    firecrawl: z
      .object({
        enabled: z.boolean().optional(),
        apiKey: z.string().optional(),
        baseUrl: z.string().optional(),
        onlyMainContent: z.boolean().optional(),
        maxAgeMs: z.number().int().nonnegative().optional(),
        timeoutSeconds: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()

/** Top-level `tools`. */
export const ToolsSchema = z
  .object({
    profile: ProfileSchema.optional(),
    allow: names.optional(),
    deny: names.optional(),
    byProvider: z.record(z.string(), ProviderPolicySchema).optional(),
    web: z.object({ search: WebSearchSchema.optional(), fetch: WebFetchSchema.optional() }).strict().optional(),
    media: z.unknown().optional(),
    links: z.unknown().optional(),
    message: z
      .object({
        allowCrossContextSend: z.boolean().optional(),
        crossContext: z
          .object({
            allowWithinProvider: z.boolean().optional(),
            allowAcrossProviders: z.boolean().optional(),
            marker: z.object({ enabled: z.boolean().optional(), prefix: z.string().optional(), suffix: z.string().optional() }).strict().optional(),
          })
          .strict()
          .optional(),
        broadcast: z.object({ enabled: z.boolean().optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    agentToAgent: z.object({ enabled: z.boolean().optional(), allow: names.optional() }).strict().optional(),
    elevated: ElevatedSchema.optional(),
    exec: z.object(ExecShape).strict().optional(),
    subagents: z.object({ tools: AllowDenySchema.optional() }).strict().optional(),
    sandbox: z.object({ tools: AllowDenySchema.optional() }).strict().optional(),
  })
  .strict()

/** `agents.list[].tools`: no `web`, `message` or `agentToAgent` per agent. */
export const AgentToolsSchema = z
  .object({
    profile: ProfileSchema.optional(),
    allow: names.optional(),
    deny: names.optional(),
    byProvider: z.record(z.string(), ProviderPolicySchema).optional(),
    elevated: ElevatedSchema.optional(),
    exec: z.object({ ...ExecShape, approvalRunningNoticeMs: z.number().int().nonnegative().optional() }).strict().optional(),
    sandbox: z.object({ tools: AllowDenySchema.optional() }).strict().optional(),
  })
  .strict()

const embeddingProvider = z.union([z.literal('openai'), z.literal('gemini'), z.literal('local')])

/** `agents.defaults.memorySearch` / `agents.list[].memorySearch`, merged field by field (agent wins). */
export const MemorySearchSchema = z
  .object({
    enabled: z.boolean().optional(),
    sources: z.array(z.union([z.literal('memory'), z.literal('sessions')])).optional(),
    experimental: z.object({ sessionMemory: z.boolean().optional() }).strict().optional(),
    provider: embeddingProvider.optional(),
    fallback: z.union([embeddingProvider, z.literal('none')]).optional(),
    model: z.string().optional(),
    remote: z
      .object({
        baseUrl: z.string().optional(),
        apiKey: z.string().optional(),
        headers: z.record(z.string(), z.string()).optional(),
        batch: z
          .object({
            enabled: z.boolean().optional(),
            wait: z.boolean().optional(),
            concurrency: z.number().int().positive().optional(),
            pollIntervalMs: z.number().int().nonnegative().optional(),
            timeoutMinutes: z.number().int().positive().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    local: z.object({ modelPath: z.string().optional(), modelCacheDir: z.string().optional() }).strict().optional(),
    store: z
      .object({
        driver: z.literal('sqlite').optional(),
        path: z.string().optional(),
        vector: z.object({ enabled: z.boolean().optional(), extensionPath: z.string().optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    chunking: z.object({ tokens: z.number().int().positive().optional(), overlap: z.number().int().nonnegative().optional() }).strict().optional(),
    sync: z
      .object({
        onSessionStart: z.boolean().optional(),
        onSearch: z.boolean().optional(),
        watch: z.boolean().optional(),
        watchDebounceMs: z.number().int().nonnegative().optional(),
        intervalMinutes: z.number().int().nonnegative().optional(),
        sessions: z.object({ deltaBytes: z.number().int().nonnegative().optional(), deltaMessages: z.number().int().nonnegative().optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    query: z
      .object({
        maxResults: z.number().int().positive().optional(),
        minScore: z.number().min(0).max(1).optional(),
        hybrid: z
          .object({
            enabled: z.boolean().optional(),
            vectorWeight: z.number().min(0).max(1).optional(),
            textWeight: z.number().min(0).max(1).optional(),
            candidateMultiplier: z.number().int().min(1).max(20).optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    cache: z.object({ enabled: z.boolean().optional(), maxEntries: z.number().int().positive().optional() }).strict().optional(),
  })
  .strict()
