import { z } from 'zod'
import { UNSUPPORTED_SECTIONS } from './known-ids.js'
import { AgentsSchema } from './schema-agents.js'
import { DiscordSchema } from './schema-discord.js'
import { GatewaySchema } from './schema-gateway.js'
import { HooksSchema } from './schema-hooks.js'
import { CommandsSchema, MessagesSchema } from './schema-messages.js'
import { AuthSchema, ModelsSchema } from './schema-models.js'
import { SessionSchema } from './schema-session.js'
import { McpSchema } from './schema-mcp.js'
import { ToolsSchema } from './schema-tools.js'
import { TelegramSchema } from './schema-telegram.js'
import { ChannelHeartbeatSchema, GroupPolicySchema } from './schema-shared.js'

const MetaSchema = z
  .object({ lastTouchedVersion: z.string().optional(), lastTouchedAt: z.string().optional() })
  .strict()

// Extra keys are environment variables, so they must be strings (upstream allows them only here).
const EnvSchema = z
  .object({
    shellEnv: z
      .object({ enabled: z.boolean().optional(), timeoutMs: z.number().int().nonnegative().optional() })
      .strict()
      .optional(),
    vars: z.record(z.string(), z.string()).optional(),
  })
  .catchall(z.string())

const BindingSchema = z
  .object({
    agentId: z.string(),
    match: z
      .object({
        channel: z.string(),
        accountId: z.string().optional(),
        peer: z
          .object({ kind: z.union([z.literal('dm'), z.literal('group'), z.literal('channel')]), id: z.string() })
          .strict()
          .optional(),
        guildId: z.string().optional(),
        teamId: z.string().optional(),
      })
      .strict(),
  })
  .strict()

// Other channel ids pass through untouched; the extra checks reject ids that are not known channels.
const ChannelsSchema = z
  .object({
    defaults: z
      .object({ groupPolicy: GroupPolicySchema.optional(), heartbeat: ChannelHeartbeatSchema.optional() })
      .strict()
      .optional(),
    discord: DiscordSchema.optional(),
    telegram: TelegramSchema.optional(),
  })
  .catchall(z.unknown())

const LogLevelSchema = z.union([
  z.literal('silent'),
  z.literal('fatal'),
  z.literal('error'),
  z.literal('warn'),
  z.literal('info'),
  z.literal('debug'),
  z.literal('trace'),
])

const LoggingSchema = z
  .object({
    level: LogLevelSchema.optional(),
    file: z.string().optional(),
    consoleLevel: LogLevelSchema.optional(),
    consoleStyle: z.union([z.literal('pretty'), z.literal('compact'), z.literal('json')]).optional(),
    redactSensitive: z.union([z.literal('off'), z.literal('tools')]).optional(),
    redactPatterns: z.array(z.string()).optional(),
  })
  .strict()

const PluginsSchema = z
  .object({
    enabled: z.boolean().optional(),
    allow: z.array(z.string()).optional(),
    deny: z.array(z.string()).optional(),
    load: z.object({ paths: z.array(z.string()).optional() }).strict().optional(),
    slots: z.object({ memory: z.string().optional() }).strict().optional(),
    entries: z
      .record(
        z.string(),
        z
          .object({ enabled: z.boolean().optional(), config: z.record(z.string(), z.unknown()).optional() })
          .strict(),
      )
      .optional(),
    installs: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()

type UnsupportedShape = { [Key in (typeof UNSUPPORTED_SECTIONS)[number]]: z.ZodOptional<z.ZodUnknown> }

const unsupportedShape = Object.fromEntries(
  UNSUPPORTED_SECTIONS.map((key) => [key, z.unknown().optional()]),
) as UnsupportedShape

/** `cron`: the scheduler switch, the store path and the cron lane size (spec/automation.md §1.1). */
const CronConfigSchema = z
  .object({ enabled: z.boolean().optional(), store: z.string().optional(), maxConcurrentRuns: z.number().int().positive().optional() })
  .strict()

/** The whole config file, strict like upstream: an unknown key anywhere is an error. */
export const ConfigSchema = z
  .object({
    meta: MetaSchema.optional(),
    env: EnvSchema.optional(),
    auth: AuthSchema.optional(),
    models: ModelsSchema.optional(),
    agents: AgentsSchema.optional(),
    bindings: z.array(BindingSchema).optional(),
    messages: MessagesSchema.optional(),
    commands: CommandsSchema.optional(),
    session: SessionSchema.optional(),
    gateway: GatewaySchema.optional(),
    channels: ChannelsSchema.optional(),
    logging: LoggingSchema.optional(),
    plugins: PluginsSchema.optional(),
    mcp: McpSchema.optional(),
    hooks: HooksSchema.optional(),
    cron: CronConfigSchema.optional(),
    tools: ToolsSchema.optional(),
    ...unsupportedShape,
  })
  .strict()

/** A validated config file (zod defaults applied, load-time defaults not yet). */
export type Config = z.infer<typeof ConfigSchema>
