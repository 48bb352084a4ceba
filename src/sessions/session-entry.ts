import { z } from 'zod'

/*
 * One row of an agent's session index. Upstream adds fields between releases, and an index written by a newer
 * gateway must survive a round trip through this one, so every object here keeps unknown keys.
 * @see spec/config-and-runtime.md §5.3
 */

const ChatTypeSchema = z.enum(['direct', 'group', 'channel'])

const OriginSchema = z.looseObject({
  label: z.string().optional(),
  provider: z.string().optional(),
  surface: z.string().optional(),
  chatType: ChatTypeSchema.optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  accountId: z.string().optional(),
  threadId: z.union([z.string(), z.number()]).optional(),
})

const DeliveryContextSchema = z.looseObject({
  channel: z.string().optional(),
  to: z.string().optional(),
  accountId: z.string().optional(),
  threadId: z.union([z.string(), z.number()]).optional(),
})

const optionalString = z.string().optional()
const optionalNumber = z.number().optional()

/** Schema of a stored session entry; only `sessionId` and `updatedAt` are required. */
export const SessionEntrySchema = z.looseObject({
  sessionId: z.string().min(1),
  updatedAt: z.number(),
  sessionFile: optionalString,
  systemSent: z.boolean().optional(),
  abortedLastRun: z.boolean().optional(),
  chatType: ChatTypeSchema.optional(),
  channel: optionalString,
  groupId: optionalString,
  subject: optionalString,
  groupChannel: optionalString,
  space: optionalString,
  displayName: optionalString,
  label: optionalString,
  origin: OriginSchema.optional(),
  deliveryContext: DeliveryContextSchema.optional(),
  lastChannel: optionalString,
  lastTo: optionalString,
  lastAccountId: optionalString,
  lastThreadId: z.union([z.string(), z.number()]).optional(),
  thinkingLevel: optionalString,
  verboseLevel: optionalString,
  reasoningLevel: optionalString,
  elevatedLevel: optionalString,
  ttsAuto: optionalString,
  responseUsage: optionalString,
  sendPolicy: optionalString,
  groupActivation: optionalString,
  queueMode: optionalString,
  queueDebounceMs: optionalNumber,
  queueCap: optionalNumber,
  queueDrop: optionalString,
  providerOverride: optionalString,
  modelOverride: optionalString,
  authProfileOverride: optionalString,
  authProfileOverrideSource: z.enum(['auto', 'user']).optional(),
  authProfileOverrideCompactionCount: optionalNumber,
  inputTokens: optionalNumber,
  outputTokens: optionalNumber,
  totalTokens: optionalNumber,
  contextTokens: optionalNumber,
  model: optionalString,
  modelProvider: optionalString,
  compactionCount: optionalNumber,
  memoryFlushAt: optionalNumber,
  memoryFlushCompactionCount: optionalNumber,
  skillsSnapshot: z.unknown().optional(),
  systemPromptReport: z.unknown().optional(),
})

/** A session index row: which transcript a session key currently points at, plus its per-session state. */
export type SessionEntry = z.infer<typeof SessionEntrySchema>

/** Fields a reset clears: per-transcript counters and flags that would be wrong for a fresh transcript. */
export const PER_TRANSCRIPT_FIELDS = [
  'sessionFile',
  'systemSent',
  'abortedLastRun',
  'inputTokens',
  'outputTokens',
  'totalTokens',
  'contextTokens',
  'memoryFlushAt',
  'memoryFlushCompactionCount',
  'authProfileOverrideCompactionCount',
] as const satisfies readonly (keyof SessionEntry)[]

/** Fields set by the user (`/model`, `/think`, labels…) that a reset keeps unless asked to drop them. */
export const OVERRIDE_FIELDS = [
  'label',
  'providerOverride',
  'modelOverride',
  'authProfileOverride',
  'authProfileOverrideSource',
  'thinkingLevel',
  'verboseLevel',
  'reasoningLevel',
  'elevatedLevel',
  'ttsAuto',
  'responseUsage',
  'sendPolicy',
  'groupActivation',
  'queueMode',
  'queueDebounceMs',
  'queueCap',
  'queueDrop',
] as const satisfies readonly (keyof SessionEntry)[]
