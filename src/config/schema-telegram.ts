import { z } from 'zod'
import {
  BlockStreamingCoalesceSchema,
  ChannelHeartbeatSchema,
  DmPolicySchema,
  GroupPolicySchema,
  IdListSchema,
  ProviderCommandsSchema,
  ChannelRetrySchema,
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
  retry: ChannelRetrySchema.optional(),
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
    checkCustomCommands(telegram.customCommands, [], context)
    for (const [accountId, account] of Object.entries(telegram.accounts ?? {})) {
      if (account === undefined) continue
      requireWildcardForOpenDm(account, `channels.telegram.accounts.${accountId}`, ['accounts', accountId, 'allowFrom'], context)
      checkCustomCommands(account.customCommands, ['accounts', accountId], context)
    }
  })

const COMMAND_NAME = /^[a-z0-9_]{1,32}$/

/**
 * Upstream's check of one custom menu command (name normalised: trimmed, leading `/` dropped, lower-cased); `seen`
 * holds the names taken so far (native ones included at start-up). Returns the problem and which field it is about.
 * @see spec/telegram.md §4.6
 */
export function customCommandProblem(
  command: { command: string; description: string },
  seen: ReadonlySet<string>,
  native: ReadonlySet<string> = new Set(),
): { field: 'command' | 'description'; message: string } | undefined {
  const name = command.command.trim().replace(/^\//, '').toLowerCase()
  if (name === '') return { field: 'command', message: 'Telegram custom command is missing a command name.' }
  if (!COMMAND_NAME.test(name)) return { field: 'command', message: `Telegram custom command "/${name}" is invalid (use a-z, 0-9, underscore; max 32 chars).` }
  if (native.has(name)) return { field: 'command', message: `Telegram custom command "/${name}" conflicts with a native command.` }
  if (seen.has(name)) return { field: 'command', message: `Telegram custom command "/${name}" is duplicated.` }
  if (command.description.trim() === '') return { field: 'description', message: `Telegram custom command "/${name}" is missing a description.` }
  return undefined
}

function checkCustomCommands(commands: Array<{ command: string; description: string }> | undefined, path: Array<string>, context: z.RefinementCtx): void {
  const seen = new Set<string>()
  for (const [index, command] of (commands ?? []).entries()) {
    const problem = customCommandProblem(command, seen)
    if (problem !== undefined) context.addIssue({ code: 'custom', path: [...path, 'customCommands', index, problem.field], message: problem.message })
    seen.add(command.command.trim().replace(/^\//, '').toLowerCase())
  }
}

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
