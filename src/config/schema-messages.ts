import { z } from 'zod'
import { GroupChatSchema, NativeCommandsSettingSchema, QueueDropSchema, QueueModeSchema } from './schema-shared.js'

const nonNegativeInteger = z.number().int().nonnegative()

const QueueSchema = z
  .object({
    mode: QueueModeSchema.optional(),
    byChannel: z.record(z.string(), QueueModeSchema).optional(),
    debounceMs: nonNegativeInteger.optional(),
    debounceMsByChannel: z.record(z.string(), nonNegativeInteger).optional(),
    cap: z.number().int().positive().optional(),
    drop: QueueDropSchema.optional(),
  })
  .strict()

/** `messages`: prefixes, queueing, inbound debounce and ack reactions. */
export const MessagesSchema = z
  .object({
    messagePrefix: z.string().optional(),
    responsePrefix: z.string().optional(),
    groupChat: GroupChatSchema.optional(),
    queue: QueueSchema.optional(),
    inbound: z
      .object({
        debounceMs: nonNegativeInteger.optional(),
        byChannel: z.record(z.string(), nonNegativeInteger).optional(),
      })
      .strict()
      .optional(),
    ackReaction: z.string().optional(),
    ackReactionScope: z
      .union([z.literal('group-mentions'), z.literal('group-all'), z.literal('direct'), z.literal('all')])
      .optional(),
    removeAckAfterReply: z.boolean().optional(),
    // Text-to-speech is not implemented; the block is accepted so upstream files stay valid.
    tts: z.unknown().optional(),
  })
  .strict()

/** `commands`: which chat and native commands are enabled. */
export const CommandsSchema = z
  .object({
    native: NativeCommandsSettingSchema.optional(),
    nativeSkills: NativeCommandsSettingSchema.optional(),
    text: z.boolean().optional(),
    bash: z.boolean().optional(),
    bashForegroundMs: nonNegativeInteger.optional(),
    config: z.boolean().optional(),
    debug: z.boolean().optional(),
    restart: z.boolean().optional(),
    useAccessGroups: z.boolean().optional(),
  })
  .strict()
