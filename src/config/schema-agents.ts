import { z } from 'zod'
import { AgentToolsSchema, MemorySearchSchema } from './schema-tools.js'
import { GroupChatSchema, HeartbeatSchema, HumanDelaySchema, BlockStreamingCoalesceSchema } from './schema-shared.js'

const onOff = z.union([z.literal('on'), z.literal('off')])

/** Primary model plus ordered fallbacks. */
export const ModelListSchema = z
  .object({ primary: z.string().optional(), fallbacks: z.array(z.string()).optional() })
  .strict()

/** A string replaces only the primary; the object form can also replace or clear the fallbacks. */
const AgentModelSchema = z.union([z.string(), ModelListSchema])

const ModelEntrySchema = z
  .object({ alias: z.string().optional(), params: z.record(z.string(), z.unknown()).optional() })
  .strict()

const ContextPruningSchema = z
  .object({
    mode: z.union([z.literal('off'), z.literal('cache-ttl')]).optional(),
    ttl: z.string().optional(),
    keepLastAssistants: z.number().int().nonnegative().optional(),
    softTrimRatio: z.number().min(0).max(1).optional(),
    hardClearRatio: z.number().min(0).max(1).optional(),
    minPrunableToolChars: z.number().int().nonnegative().optional(),
    tools: z
      .object({ allow: z.array(z.string()).optional(), deny: z.array(z.string()).optional() })
      .strict()
      .optional(),
    softTrim: z
      .object({
        maxChars: z.number().int().nonnegative().optional(),
        headChars: z.number().int().nonnegative().optional(),
        tailChars: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    hardClear: z.object({ enabled: z.boolean().optional(), placeholder: z.string().optional() }).strict().optional(),
  })
  .strict()

const CompactionSchema = z
  .object({
    mode: z.union([z.literal('default'), z.literal('safeguard')]).optional(),
    reserveTokensFloor: z.number().int().nonnegative().optional(),
    maxHistoryShare: z.number().min(0.1).max(0.9).optional(),
    memoryFlush: z
      .object({
        enabled: z.boolean().optional(),
        softThresholdTokens: z.number().int().nonnegative().optional(),
        prompt: z.string().optional(),
        systemPrompt: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()

/** `agents.defaults`: settings every agent inherits. */
export const AgentDefaultsSchema = z
  .object({
    model: ModelListSchema.optional(),
    imageModel: ModelListSchema.optional(),
    // Doubles as the model allowlist when non-empty.
    models: z.record(z.string(), ModelEntrySchema).optional(),
    workspace: z.string().optional(),
    repoRoot: z.string().optional(),
    skipBootstrap: z.boolean().optional(),
    bootstrapMaxChars: z.number().int().positive().optional(),
    userTimezone: z.string().optional(),
    timeFormat: z.union([z.literal('auto'), z.literal('12'), z.literal('24')]).optional(),
    envelopeTimezone: z.string().optional(),
    envelopeTimestamp: onOff.optional(),
    envelopeElapsed: onOff.optional(),
    contextTokens: z.number().int().positive().optional(),
    thinkingDefault: z
      .union([
        z.literal('off'),
        z.literal('minimal'),
        z.literal('low'),
        z.literal('medium'),
        z.literal('high'),
        z.literal('xhigh'),
      ])
      .optional(),
    verboseDefault: z.union([z.literal('off'), z.literal('on'), z.literal('full')]).optional(),
    elevatedDefault: z.union([z.literal('off'), z.literal('on'), z.literal('ask'), z.literal('full')]).optional(),
    blockStreamingDefault: onOff.optional(),
    blockStreamingBreak: z.union([z.literal('text_end'), z.literal('message_end')]).optional(),
    blockStreamingChunk: z
      .object({
        minChars: z.number().int().positive().optional(),
        maxChars: z.number().int().positive().optional(),
        breakPreference: z.union([z.literal('paragraph'), z.literal('newline'), z.literal('sentence')]).optional(),
      })
      .strict()
      .optional(),
    blockStreamingCoalesce: BlockStreamingCoalesceSchema.optional(),
    humanDelay: HumanDelaySchema.optional(),
    timeoutSeconds: z.number().int().positive().optional(),
    mediaMaxMb: z.number().positive().optional(),
    typingMode: z
      .union([z.literal('never'), z.literal('instant'), z.literal('thinking'), z.literal('message')])
      .optional(),
    typingIntervalSeconds: z.number().int().positive().optional(),
    heartbeat: HeartbeatSchema.optional(),
    maxConcurrent: z.number().int().positive().optional(),
    subagents: z
      .object({
        maxConcurrent: z.number().int().positive().optional(),
        archiveAfterMinutes: z.number().int().positive().optional(),
        model: AgentModelSchema.optional(),
      })
      .strict()
      .optional(),
    contextPruning: ContextPruningSchema.optional(),
    compaction: CompactionSchema.optional(),
    // Accepted so upstream files validate; this gateway has no sandbox or CLI backends.
    sandbox: z.unknown().optional(),
    cliBackends: z.unknown().optional(),
    memorySearch: MemorySearchSchema.optional(),
  })
  .strict()

/** One entry of `agents.list`; note there is deliberately no `systemPrompt` (persona comes from workspace files). */
export const AgentEntrySchema = z
  .object({
    id: z.string().min(1),
    default: z.boolean().optional(),
    name: z.string().optional(),
    workspace: z.string().optional(),
    agentDir: z.string().optional(),
    model: AgentModelSchema.optional(),
    identity: z
      .object({
        name: z.string().optional(),
        theme: z.string().optional(),
        emoji: z.string().optional(),
        avatar: z.string().optional(),
      })
      .strict()
      .optional(),
    groupChat: GroupChatSchema.optional(),
    humanDelay: HumanDelaySchema.optional(),
    heartbeat: HeartbeatSchema.optional(),
    subagents: z
      .object({ allowAgents: z.array(z.string()).optional(), model: AgentModelSchema.optional() })
      .strict()
      .optional(),
    sandbox: z.unknown().optional(),
    tools: AgentToolsSchema.optional(),
    memorySearch: MemorySearchSchema.optional(),
  })
  .strict()

/** `agents`: shared defaults plus the list of agents. */
export const AgentsSchema = z
  .object({ defaults: AgentDefaultsSchema.optional(), list: z.array(AgentEntrySchema).optional() })
  .strict()
