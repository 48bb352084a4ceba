import { z } from 'zod'

/** Channels a hook mapping may name (upstream's list); which of them can deliver here is checked per request. */
const HookChannelSchema = z.enum(['last', 'whatsapp', 'telegram', 'discord', 'slack', 'signal', 'imessage', 'msteams'])

const HookMappingSchema = z
  .object({
    id: z.string().optional(),
    match: z.object({ path: z.string().optional(), source: z.string().optional() }).strict().optional(),
    action: z.enum(['agent', 'wake']).optional(),
    wakeMode: z.enum(['now', 'next-heartbeat']).optional(),
    name: z.string().optional(),
    sessionKey: z.string().optional(),
    messageTemplate: z.string().optional(),
    textTemplate: z.string().optional(),
    deliver: z.boolean().optional(),
    channel: HookChannelSchema.optional(),
    to: z.string().optional(),
    model: z.string().optional(),
    thinking: z.string().optional(),
    timeoutSeconds: z.number().int().positive().optional(),
    // Accepted by the schema so the refusal can name it (check-hooks-config.ts); never loaded.
    transform: z.object({ module: z.string(), export: z.string().optional() }).strict().optional(),
  })
  .strict()

/**
 * `hooks`: inbound HTTP webhooks on the gateway's port (spec/agent-api.md §6.1). Strict like upstream; `gmail` and
 * `internal` are accepted and ignored.
 */
export const HooksSchema = z
  .object({
    enabled: z.boolean().optional(),
    token: z.string().optional(),
    path: z.string().optional(),
    maxBodyBytes: z.number().int().positive().optional(),
    presets: z.array(z.enum(['gmail'])).optional(),
    transformsDir: z.string().optional(),
    mappings: z.array(HookMappingSchema).optional(),
    gmail: z.unknown().optional(),
    internal: z.unknown().optional(),
  })
  .strict()

/** One `hooks.mappings[]` entry. */
export type HookMapping = z.infer<typeof HookMappingSchema>
