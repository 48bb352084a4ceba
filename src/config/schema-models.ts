import { z } from 'zod'

/** Wire API a custom model speaks. */
export const ModelApiSchema = z.union([
  z.literal('openai-completions'),
  z.literal('openai-responses'),
  z.literal('anthropic-messages'),
  z.literal('google-generative-ai'),
  z.literal('github-copilot'),
  z.literal('bedrock-converse-stream'),
])

const HeadersSchema = z.record(z.string(), z.string())

const ModelDefinitionSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    api: ModelApiSchema.optional(),
    reasoning: z.boolean().optional(),
    input: z.array(z.union([z.literal('text'), z.literal('image')])).optional(),
    cost: z
      .object({
        input: z.number().optional(),
        output: z.number().optional(),
        cacheRead: z.number().optional(),
        cacheWrite: z.number().optional(),
      })
      .strict()
      .optional(),
    contextWindow: z.number().positive().optional(),
    maxTokens: z.number().positive().optional(),
    headers: HeadersSchema.optional(),
    compat: z
      .object({
        supportsStore: z.boolean().optional(),
        supportsDeveloperRole: z.boolean().optional(),
        supportsReasoningEffort: z.boolean().optional(),
        maxTokensField: z.union([z.literal('max_completion_tokens'), z.literal('max_tokens')]).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()

const ModelProviderSchema = z
  .object({
    baseUrl: z.string().min(1),
    apiKey: z.string().optional(),
    auth: z.union([z.literal('api-key'), z.literal('aws-sdk'), z.literal('oauth'), z.literal('token')]).optional(),
    api: ModelApiSchema.optional(),
    headers: HeadersSchema.optional(),
    authHeader: z.boolean().optional(),
    models: z.array(ModelDefinitionSchema),
  })
  .strict()

/** `models`: custom providers and their model catalogs. */
export const ModelsSchema = z
  .object({
    mode: z.union([z.literal('merge'), z.literal('replace')]).optional(),
    providers: z.record(z.string(), ModelProviderSchema).optional(),
  })
  .strict()

const AuthProfileSchema = z
  .object({
    provider: z.string(),
    mode: z.union([z.literal('api_key'), z.literal('oauth'), z.literal('token')]),
    email: z.string().optional(),
  })
  .strict()

/** `auth`: profile metadata (never secrets), rotation order and cooldown tuning. */
export const AuthSchema = z
  .object({
    profiles: z.record(z.string(), AuthProfileSchema).optional(),
    order: z.record(z.string(), z.array(z.string())).optional(),
    cooldowns: z
      .object({
        billingBackoffHours: z.number().positive().optional(),
        billingBackoffHoursByProvider: z.record(z.string(), z.number().positive()).optional(),
        billingMaxHours: z.number().positive().optional(),
        failureWindowHours: z.number().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
