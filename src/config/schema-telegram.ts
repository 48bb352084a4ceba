import { z } from 'zod'
import {
  BlockStreamingCoalesceSchema,
  ChannelHeartbeatSchema,
  DmPolicySchema,
  GroupPolicySchema,
  IdListSchema,
  ProviderCommandsSchema,
} from './schema-shared.js'

/**
 * `channels.telegram` exactly as upstream (2026.1.24-3) accepts it, strict at every level, including the zod
 * defaults upstream fills into every parsed account entry (`dmPolicy`, `groupPolicy`, `streamMode`).
 * @see spec/telegram.md §1.1
 */

const ToolPolicySchema = z.object({ allow: z.array(z.string()).optional(), deny: z.array(z.string()).optional() }).strict()

const TopicSchema = z
  .object({
    requireMention: z.boolean().optional(),
    skills: z.array(z.string()).optional(),
    enabled: z.boolean().optional(),
    allowFrom: IdListSchema.optional(),
    systemPrompt: z.string().optional(),
  })
  .strict()

const GroupSchema = z
  .object({
    requireMention: z.boolean().optional(),
    tools: ToolPolicySchema.optional(),
    skills: z.array(z.string()).optional(),
    enabled: z.boolean().optional(),
    allowFrom: IdListSchema.optional(),
    systemPrompt: z.string().optional(),
    topics: z.record(z.string(), TopicSchema.optional()).optional(),
  })
  .strict()

const CustomCommandSchema = z.object({ command: z.string(), description: z.string() }).strict()

const InlineButtonsScopeSchema = z.union([
  z.literal('off'),
  z.literal('dm'),
  z.literal('group'),
  z.literal('all'),
  z.literal('allowlist'),
])

/** Fields shared by the base object and each `accounts.<id>` entry. */
const accountShape = {
  enabled: z.boolean().optional(),
  name: z.string().optional(),
  botToken: z.string().optional(),
  tokenFile: z.string().optional(),
  dmPolicy: DmPolicySchema.default('pairing'),
  allowFrom: IdListSchema.optional(),
  groupPolicy: GroupPolicySchema.default('allowlist'),
  groupAllowFrom: IdListSchema.optional(),
  groups: z.record(z.string(), GroupSchema.optional()).optional(),
  replyToMode: z.union([z.literal('off'), z.literal('first'), z.literal('all')]).optional(),
  historyLimit: z.number().int().nonnegative().optional(),
  dmHistoryLimit: z.number().int().nonnegative().optional(),
  dms: z
    .record(z.string(), z.object({ historyLimit: z.number().int().nonnegative().optional() }).strict().optional())
    .optional(),
  textChunkLimit: z.number().int().positive().optional(),
  chunkMode: z.union([z.literal('length'), z.literal('newline')]).optional(),
  blockStreaming: z.boolean().optional(),
  blockStreamingCoalesce: BlockStreamingCoalesceSchema.optional(),
  streamMode: z.union([z.literal('off'), z.literal('partial'), z.literal('block')]).default('partial'),
  draftChunk: z
    .object({
      minChars: z.number().int().positive().optional(),
      maxChars: z.number().int().positive().optional(),
      breakPreference: z.union([z.literal('paragraph'), z.literal('newline'), z.literal('sentence')]).optional(),
    })
    .strict()
    .optional(),
  mediaMaxMb: z.number().positive().optional(),
  timeoutSeconds: z.number().int().positive().optional(),
  retry: z
    .object({
      attempts: z.number().int().min(1).optional(),
      minDelayMs: z.number().int().min(0).optional(),
      maxDelayMs: z.number().int().min(0).optional(),
      jitter: z.number().min(0).max(1).optional(),
    })
    .strict()
    .optional(),
  proxy: z.string().optional(),
  webhookUrl: z.string().optional(),
  webhookSecret: z.string().optional(),
  webhookPath: z.string().optional(),
  // Later upstream versions; accepted (and ignored with a warning) so their configs stay valid here.
  webhookPort: z.number().int().optional(),
  webhookHost: z.string().optional(),
  commands: ProviderCommandsSchema.optional(),
  customCommands: z.array(CustomCommandSchema).optional(),
  configWrites: z.boolean().optional(),
  capabilities: z.union([z.array(z.string()), z.object({ inlineButtons: InlineButtonsScopeSchema.optional() }).strict()]).optional(),
  markdown: z
    .object({ tables: z.union([z.literal('off'), z.literal('bullets'), z.literal('code')]).optional() })
    .strict()
    .optional(),
  actions: z
    .object({ reactions: z.boolean().optional(), sendMessage: z.boolean().optional(), deleteMessage: z.boolean().optional() })
    .strict()
    .optional(),
  reactionNotifications: z.union([z.literal('off'), z.literal('own'), z.literal('all')]).optional(),
  reactionLevel: z.union([z.literal('off'), z.literal('ack'), z.literal('minimal'), z.literal('extensive')]).optional(),
  linkPreview: z.boolean().optional(),
  heartbeat: ChannelHeartbeatSchema.optional(),
}

const TelegramAccountSchema = z.object(accountShape).strict()

/** One Telegram account's config as parsed (base or `accounts.<id>`). */
export type TelegramAccountConfig = z.infer<typeof TelegramAccountSchema>

/** `channels.telegram`: the base account plus named accounts that shallow-override it. */
export const TelegramSchema = z
  .object({ ...accountShape, accounts: z.record(z.string(), TelegramAccountSchema.optional()).optional() })
  .strict()
  .superRefine((telegram, context) => {
    requireWildcardForOpenDm(telegram, 'channels.telegram', ['allowFrom'], context)
    for (const [accountId, account] of Object.entries(telegram.accounts ?? {})) {
      if (account === undefined) continue
      requireWildcardForOpenDm(account, `channels.telegram.accounts.${accountId}`, ['accounts', accountId, 'allowFrom'], context)
    }
  })

/** An open DM policy must say so with "*" in `allowFrom`, so nobody opens their bot to everyone by accident. */
function requireWildcardForOpenDm(
  account: TelegramAccountConfig,
  prefix: string,
  path: string[],
  context: z.RefinementCtx,
): void {
  if (account.dmPolicy !== 'open') return
  if ((account.allowFrom ?? []).some((entry) => String(entry).trim() === '*')) return
  context.addIssue({ code: 'custom', path, message: `${prefix}.dmPolicy="open" requires ${prefix}.allowFrom to include "*"` })
}
