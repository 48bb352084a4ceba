import { z } from 'zod'

/*
 * Lenient schemas for the interaction payload: only the fields we read are declared, unknown fields pass through
 * (Discord adds fields without notice), and optional-looking fields stay optional because DMs and user installs
 * omit partials (spec/discord.md §2.3, §11).
 */

const UserSchema = z.looseObject({
  id: z.string(),
  username: z.string().optional(),
  global_name: z.string().nullish(),
  discriminator: z.string().optional(),
  bot: z.boolean().optional(),
})

const ChannelSchema = z.looseObject({
  id: z.string(),
  type: z.number().optional(),
  name: z.string().nullish(),
  parent_id: z.string().nullish(),
  topic: z.string().nullish(),
})

const AttachmentSchema = z.looseObject({
  id: z.string(),
  filename: z.string().optional(),
  url: z.string(),
  content_type: z.string().optional(),
  size: z.number().optional(),
})

const ResolvedMessageSchema = z.looseObject({
  id: z.string(),
  content: z.string().optional(),
  author: UserSchema.optional(),
  attachments: z.array(AttachmentSchema).optional(),
})

/** One command option as sent by Discord; `focused` marks the one being typed during autocomplete. */
export interface CommandOption {
  name: string
  type: number
  value?: unknown
  focused?: boolean
  options?: CommandOption[]
}

const OptionSchema: z.ZodType<CommandOption> = z.lazy(() =>
  z.looseObject({
    name: z.string(),
    type: z.number(),
    value: z.unknown().optional(),
    focused: z.boolean().optional(),
    options: z.array(OptionSchema).optional(),
  }),
)

const DataSchema = z.looseObject({
  name: z.string().optional(),
  type: z.number().optional(),
  options: z.array(OptionSchema).optional(),
  target_id: z.string().optional(),
  custom_id: z.string().optional(),
  component_type: z.number().optional(),
  components: z.array(z.unknown()).optional(),
  resolved: z
    .looseObject({
      attachments: z.record(z.string(), AttachmentSchema).optional(),
      messages: z.record(z.string(), ResolvedMessageSchema).optional(),
    })
    .optional(),
})

/** The interaction fields this channel reads. */
export const InteractionSchema = z.looseObject({
  id: z.string(),
  application_id: z.string(),
  type: z.number(),
  token: z.string().optional(),
  data: DataSchema.optional(),
  guild_id: z.string().optional(),
  channel_id: z.string().optional(),
  channel: ChannelSchema.optional(),
  member: z.looseObject({ user: UserSchema.optional(), nick: z.string().nullish() }).optional(),
  user: UserSchema.optional(),
  context: z.number().optional(),
  authorizing_integration_owners: z.record(z.string(), z.string()).optional(),
})

/** A validated interaction payload. */
export type Interaction = z.infer<typeof InteractionSchema>
/** An attachment from `data.resolved`. */
export type InteractionAttachment = z.infer<typeof AttachmentSchema>
/** A message from `data.resolved.messages` (the target of a message context-menu command). */
export type ResolvedMessage = z.infer<typeof ResolvedMessageSchema>
/** A user object from the payload. */
export type InteractionUser = z.infer<typeof UserSchema>
