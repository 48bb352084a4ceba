import { z } from 'zod'

/**
 * Small schemas shared by several config sections. Upstream uses `z.enum` for the two policy
 * schemas and unions of literals almost everywhere else; the choice decides the zod message
 * (`Invalid option: …` vs a bare `Invalid input`), so it is kept per schema.
 */

/** Who may talk to the bot in group chats. */
export const GroupPolicySchema = z.enum(['open', 'disabled', 'allowlist'])

/** Who may talk to the bot in direct messages. */
export const DmPolicySchema = z.enum(['pairing', 'allowlist', 'open', 'disabled'])

/** User or channel ids as written in allowlists; Discord snowflakes are often pasted as numbers. */
export const IdListSchema = z.array(z.union([z.string(), z.number()]))

/** How a message that arrives during a run is handled. */
export const QueueModeSchema = z.union([
  z.literal('steer'),
  z.literal('followup'),
  z.literal('collect'),
  z.literal('steer-backlog'),
  z.literal('steer+backlog'),
  z.literal('queue'),
  z.literal('interrupt'),
])

/** What to do with queued messages beyond the cap. */
export const QueueDropSchema = z.union([z.literal('old'), z.literal('new'), z.literal('summarize')])

/** `true`, `false` or `"auto"` for native slash commands. */
export const NativeCommandsSettingSchema = z.union([z.boolean(), z.literal('auto')])

/** Per-channel override of the native command switches. */
export const ProviderCommandsSchema = z
  .object({
    native: NativeCommandsSettingSchema.optional(),
    nativeSkills: NativeCommandsSettingSchema.optional(),
  })
  .strict()

/** Mention patterns and history depth for group chats. */
export const GroupChatSchema = z
  .object({
    mentionPatterns: z.array(z.string()).optional(),
    historyLimit: z.number().int().positive().optional(),
  })
  .strict()

/** Artificial delay between block replies. */
export const HumanDelaySchema = z
  .object({
    mode: z.union([z.literal('off'), z.literal('natural'), z.literal('custom')]).optional(),
    minMs: z.number().int().nonnegative().optional(),
    maxMs: z.number().int().nonnegative().optional(),
  })
  .strict()

/** How streamed blocks are merged before they are sent. */
export const BlockStreamingCoalesceSchema = z
  .object({
    minChars: z.number().int().positive().optional(),
    maxChars: z.number().int().positive().optional(),
    idleMs: z.number().int().nonnegative().optional(),
  })
  .strict()

// `HH:MM` in 24 h; `24:00` only as an end (upstream's messages, spec/automation.md §2.1).
function heartbeatTime(which: 'start' | 'end') {
  return z.string().superRefine((value, context) => {
    const message = !/^([01]\d|2[0-4]):[0-5]\d$/.test(value)
      ? 'invalid time (use "HH:MM" 24h format)'
      : value.startsWith('24') && value !== '24:00'
        ? 'invalid time (24:00 is the only allowed 24:xx value)'
        : which === 'start' && value === '24:00'
          ? 'invalid time (start cannot be 24:00)'
          : undefined
    if (message) context.addIssue({ code: 'custom', message })
  })
}

/** Agent heartbeat settings (the periodic "anything to report?" turn). */
export const HeartbeatSchema = z
  .object({
    every: z
      .string()
      .refine((value) => /^\d+(\.\d+)?(ms|s|m|h|d)?$/i.test(value.trim()), 'invalid duration (use ms, s, m, h)')
      .optional(),
    activeHours: z
      .object({ start: heartbeatTime('start').optional(), end: heartbeatTime('end').optional(), timezone: z.string().optional() })
      .strict()
      .optional(),
    model: z.string().optional(),
    session: z.string().optional(),
    includeReasoning: z.boolean().optional(),
    target: z.string().optional(),
    to: z.string().optional(),
    prompt: z.string().optional(),
    ackMaxChars: z.number().int().nonnegative().optional(),
  })
  .strict()

/** Which heartbeat outcomes a channel shows. */
export const ChannelHeartbeatSchema = z
  .object({
    showOk: z.boolean().optional(),
    showAlerts: z.boolean().optional(),
    useIndicator: z.boolean().optional(),
  })
  .strict()

/** A channel's REST retry settings (`channels.<id>.retry`), the same shape for Discord and Telegram. */
export const ChannelRetrySchema = z
  .object({
    attempts: z.number().int().min(1).optional(),
    minDelayMs: z.number().int().min(0).optional(),
    maxDelayMs: z.number().int().min(0).optional(),
    jitter: z.number().min(0).max(1).optional(),
  })
  .strict()
