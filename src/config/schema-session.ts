import { z } from 'zod'

/** One reset policy: daily at a local hour, or after a period of inactivity. */
export const SessionResetSchema = z
  .object({
    mode: z.union([z.literal('daily'), z.literal('idle')]).optional(),
    atHour: z.number().int().min(0).max(23).optional(),
    idleMinutes: z.number().int().positive().optional(),
  })
  .strict()

/** `session`: key scoping, reset policy and the session store location. */
export const SessionSchema = z
  .object({
    scope: z.union([z.literal('per-sender'), z.literal('global')]).optional(),
    dmScope: z
      .union([
        z.literal('main'),
        z.literal('per-peer'),
        z.literal('per-channel-peer'),
        z.literal('per-account-channel-peer'),
      ])
      .optional(),
    identityLinks: z.record(z.string(), z.array(z.string())).optional(),
    resetTriggers: z.array(z.string()).optional(),
    idleMinutes: z.number().int().positive().optional(),
    reset: SessionResetSchema.optional(),
    resetByType: z
      .object({
        dm: SessionResetSchema.optional(),
        group: SessionResetSchema.optional(),
        thread: SessionResetSchema.optional(),
      })
      .strict()
      .optional(),
    resetByChannel: z.record(z.string(), SessionResetSchema).optional(),
    store: z.string().optional(),
    typingIntervalSeconds: z.number().int().positive().optional(),
    typingMode: z
      .union([z.literal('never'), z.literal('instant'), z.literal('thinking'), z.literal('message')])
      .optional(),
    // Accepted but always forced to "main" after validation.
    mainKey: z.string().optional(),
    sendPolicy: z.unknown().optional(),
    agentToAgent: z.object({ maxPingPongTurns: z.number().int().min(0).max(5).optional() }).strict().optional(),
  })
  .strict()
