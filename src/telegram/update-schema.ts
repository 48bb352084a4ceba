import { z } from 'zod'

/**
 * The parts of a Bot API `Update` the channel reads; everything else passes through untouched. Chat ids exceed 32 bits
 * but fit a JS number; keys keep them as strings.
 * @see https://core.telegram.org/bots/api#update, spec/telegram.md §4.1
 */

const UserSchema = z.looseObject({
  id: z.number(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
})

const ChatSchema = z.looseObject({
  id: z.number(),
  type: z.string(),
  title: z.string().optional(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  is_forum: z.boolean().optional(),
})

const EntitySchema = z.looseObject({ type: z.string(), offset: z.number(), length: z.number(), url: z.string().optional() })
const FileSchema = z.looseObject({ file_id: z.string(), file_size: z.number().optional(), mime_type: z.string().optional(), file_name: z.string().optional() })

const BaseMessageSchema = z.looseObject({
  message_id: z.number(),
  date: z.number().optional(),
  chat: ChatSchema,
  from: UserSchema.optional(),
  message_thread_id: z.number().optional(),
  text: z.string().optional(),
  entities: z.array(EntitySchema).optional(),
  caption: z.string().optional(),
  caption_entities: z.array(EntitySchema).optional(),
  photo: z.array(FileSchema).optional(),
  document: FileSchema.optional(),
  video: FileSchema.optional(),
  audio: FileSchema.optional(),
  voice: FileSchema.optional(),
  media_group_id: z.string().optional(),
  migrate_to_chat_id: z.number().optional(),
  /** Ours, never sent by Telegram: every photo of an album collected by `AlbumBuffer`. */
  album_photos: z.array(z.string()).optional(),
})

const MessageSchema = BaseMessageSchema.extend({ reply_to_message: BaseMessageSchema.optional() })

/** One inbound update. */
export const UpdateSchema = z.looseObject({
  update_id: z.number().int(),
  message: MessageSchema.optional(),
  callback_query: z
    .looseObject({ id: z.string(), from: UserSchema, data: z.string().optional(), message: MessageSchema.optional() })
    .optional(),
  message_reaction: z.unknown().optional(),
})

export type TelegramUpdate = z.infer<typeof UpdateSchema>
export type TelegramMessage = z.infer<typeof MessageSchema>
export type TelegramUser = z.infer<typeof UserSchema>
export type TelegramEntity = z.infer<typeof EntitySchema>
