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

const ToolPolicySchema = z.unknown()

const GuildChannelSchema = z
  .object({
    allow: z.boolean().optional(),
    requireMention: z.boolean().optional(),
    users: IdListSchema.optional(),
    skills: z.array(z.string()).optional(),
    systemPrompt: z.string().optional(),
    enabled: z.boolean().optional(),
    autoThread: z.boolean().optional(),
    tools: ToolPolicySchema.optional(),
    toolsBySender: ToolPolicySchema.optional(),
  })
  .strict()

const GuildSchema = z
  .object({
    slug: z.string().optional(),
    requireMention: z.boolean().optional(),
    users: IdListSchema.optional(),
    reactionNotifications: z
      .union([z.literal('off'), z.literal('own'), z.literal('all'), z.literal('allowlist')])
      .optional(),
    tools: ToolPolicySchema.optional(),
    toolsBySender: ToolPolicySchema.optional(),
    channels: z.record(z.string(), GuildChannelSchema.optional()).optional(),
  })
  .strict()

const DmSchema = z
  .object({
    enabled: z.boolean().optional(),
    policy: DmPolicySchema.default('pairing'),
    allowFrom: IdListSchema.optional(),
    groupEnabled: z.boolean().optional(),
    groupChannels: IdListSchema.optional(),
  })
  .strict()

const ACTION_NAMES = [
  'reactions', 'stickers', 'emojiUploads', 'stickerUploads', 'polls', 'permissions', 'messages', 'threads',
  'pins', 'search', 'memberInfo', 'roleInfo', 'roles', 'channelInfo', 'channels', 'voiceStatus', 'events',
  'moderation',
] as const

const ActionsSchema = z
  .object(Object.fromEntries(ACTION_NAMES.map((name) => [name, z.boolean().optional()])) as Record<
    (typeof ACTION_NAMES)[number],
    z.ZodOptional<z.ZodBoolean>
  >)
  .strict()

/** Fields shared by the Discord base object and each `accounts.<id>` entry. */
const accountShape = {
  enabled: z.boolean().optional(),
  token: z.string().optional(),
  name: z.string().optional(),
  capabilities: z.array(z.string()).optional(),
  markdown: z
    .object({ tables: z.union([z.literal('off'), z.literal('bullets'), z.literal('code')]).optional() })
    .strict()
    .optional(),
  commands: ProviderCommandsSchema.optional(),
  configWrites: z.boolean().optional(),
  allowBots: z.boolean().optional(),
  groupPolicy: GroupPolicySchema.default('allowlist'),
  historyLimit: z.number().int().nonnegative().optional(),
  dmHistoryLimit: z.number().int().nonnegative().optional(),
  dms: z
    .record(z.string(), z.object({ historyLimit: z.number().int().nonnegative().optional() }).strict().optional())
    .optional(),
  textChunkLimit: z.number().int().positive().optional(),
  chunkMode: z.union([z.literal('length'), z.literal('newline')]).optional(),
  maxLinesPerMessage: z.number().int().positive().optional(),
  blockStreaming: z.boolean().optional(),
  blockStreamingCoalesce: BlockStreamingCoalesceSchema.optional(),
  mediaMaxMb: z.number().positive().optional(),
  retry: ChannelRetrySchema.optional(),
  actions: ActionsSchema.optional(),
  replyToMode: z.union([z.literal('off'), z.literal('first'), z.literal('all')]).optional(),
  dm: DmSchema.optional(),
  guilds: z.record(z.string(), GuildSchema.optional()).optional(),
  heartbeat: ChannelHeartbeatSchema.optional(),
  execApprovals: z
    .object({
      enabled: z.boolean().optional(),
      approvers: IdListSchema.optional(),
      agentFilter: z.array(z.string()).optional(),
      sessionFilter: z.array(z.string()).optional(),
    })
    .strict()
    .optional(),
  intents: z.object({ presence: z.boolean().optional(), guildMembers: z.boolean().optional() }).strict().optional(),
  // Ours, for HTTP interactions (a superset of upstream's schema, like gateway.customBindHost):
  /** Public URL of this account's interactions endpoint; it defaults to the runtime's public URL (https://<app>.fly.dev on Fly) + /discord/interactions. */
  interactionsUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Set the application's Interactions Endpoint URL to `interactionsUrl` at start-up, so nobody has to paste it. */
  setInteractionsUrl: z.boolean().optional(),
  /** Register the slash commands in each configured guild (numeric ids under `guilds`): they appear at once. */
  registerCommandsPerGuild: z.boolean().optional(),
}

const DiscordAccountSchema = z.object(accountShape).strict()

/** `channels.discord`: the base account plus named accounts that shallow-override it. */
export const DiscordSchema = z
  .object({ ...accountShape, accounts: z.record(z.string(), DiscordAccountSchema.optional()).optional() })
  .strict()
  .superRefine((discord, context) => {
    requireWildcardForOpenDm(discord.dm, 'channels.discord', ['dm', 'allowFrom'], context)
    for (const [accountId, account] of Object.entries(discord.accounts ?? {})) {
      const prefix = `channels.discord.accounts.${accountId}`
      requireWildcardForOpenDm(account?.dm, prefix, ['accounts', accountId, 'dm', 'allowFrom'], context)
    }
  })

/** An open DM policy must say so explicitly with "*", so nobody opens their bot to everyone by accident. */
function requireWildcardForOpenDm(
  dm: z.infer<typeof DmSchema> | undefined,
  prefix: string,
  path: string[],
  context: z.RefinementCtx,
): void {
  if (dm?.policy !== 'open') return
  if ((dm.allowFrom ?? []).some((entry) => String(entry).trim() === '*')) return
  context.addIssue({
    code: 'custom',
    path,
    message: `${prefix}.dm.policy="open" requires ${prefix}.dm.allowFrom to include "*"`,
  })
}
