import { z } from 'zod'

/*
 * Transcript lines in the pi-coding-agent format v3, so upstream transcripts import unchanged and ours export.
 * Objects keep unknown keys: newer writers add fields, and a line must survive a read and rewrite intact.
 * @see spec/config-and-runtime.md §5.3, spec/protocol.md §6.2
 */

/** Version written in the `session` header line. */
export const TRANSCRIPT_VERSION = 3

const TextBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string() })
const ImageBlockSchema = z.looseObject({ type: z.literal('image'), data: z.string(), mimeType: z.string() })
const ThinkingBlockSchema = z.looseObject({ type: z.literal('thinking'), thinking: z.string() })
const ToolCallBlockSchema = z.looseObject({
  type: z.literal('toolCall'),
  id: z.string(),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
})

const UsageSchema = z.looseObject({
  input: z.number(),
  output: z.number(),
  cacheRead: z.number(),
  cacheWrite: z.number(),
  totalTokens: z.number(),
  cost: z.looseObject({ total: z.number().optional() }).optional(),
})

const UserMessageSchema = z.looseObject({
  role: z.literal('user'),
  content: z.union([z.string(), z.array(z.union([TextBlockSchema, ImageBlockSchema]))]),
  timestamp: z.number(),
})

const AssistantMessageSchema = z.looseObject({
  role: z.literal('assistant'),
  content: z.array(z.union([TextBlockSchema, ThinkingBlockSchema, ToolCallBlockSchema])),
  api: z.string().optional(),
  provider: z.string().optional(),
  model: z.string().optional(),
  usage: UsageSchema.optional(),
  stopReason: z.enum(['stop', 'length', 'toolUse', 'error', 'aborted']),
  errorMessage: z.string().optional(),
  timestamp: z.number(),
})

const ToolResultMessageSchema = z.looseObject({
  role: z.literal('toolResult'),
  toolCallId: z.string(),
  toolName: z.string(),
  content: z.array(z.union([TextBlockSchema, ImageBlockSchema])),
  isError: z.boolean(),
  timestamp: z.number(),
})

/** Schema of the message a `message` line carries (pi-ai shapes). */
export const TranscriptMessageSchema = z.discriminatedUnion('role', [
  UserMessageSchema,
  AssistantMessageSchema,
  ToolResultMessageSchema,
])

/** One conversation message as the model and the Control UI see it. */
export type TranscriptMessage = z.infer<typeof TranscriptMessageSchema>

// Every line after the header links to its parent, forming a tree whose last leaf is the head.
const treeFields = { id: z.string().min(1), parentId: z.string().nullable(), timestamp: z.string() }

const HeaderSchema = z.looseObject({
  type: z.literal('session'),
  version: z.number(),
  id: z.string().min(1),
  timestamp: z.string(),
  cwd: z.string(),
})

const MODELLED_TYPES = ['session', 'message', 'model_change', 'compaction', 'custom']

/** Entry types kept as opaque passthrough lines (upstream's others; any unmodelled type string is accepted too). */
export type OpaqueEntryType = 'thinking_level_change' | 'custom_message' | 'label' | 'branch_summary'

// Typed as the listed names rather than `string`, so `entry.type === 'message'` still narrows the union.
const OpaqueTypeSchema = z
  .string()
  .refine((type) => !MODELLED_TYPES.includes(type))
  .pipe(z.custom<OpaqueEntryType>())

/** Schema of any transcript line; unknown entry types pass through as long as they carry an id. */
export const TranscriptEntrySchema = z.union([
  HeaderSchema,
  z.looseObject({ type: z.literal('message'), ...treeFields, message: TranscriptMessageSchema }),
  z.looseObject({
    type: z.literal('model_change'),
    ...treeFields,
    provider: z.string().optional(),
    modelId: z.string().optional(),
  }),
  z.looseObject({
    type: z.literal('compaction'),
    ...treeFields,
    summary: z.string(),
    firstKeptEntryId: z.string(),
    tokensBefore: z.number(),
  }),
  z.looseObject({ type: z.literal('custom'), ...treeFields, customType: z.string().optional(), data: z.unknown().optional() }),
  z.looseObject({ type: OpaqueTypeSchema, id: z.string().min(1) }),
])

/** One transcript line. */
export type TranscriptEntry = z.infer<typeof TranscriptEntrySchema>
/** The first line of a transcript. */
export type TranscriptHeader = Extract<TranscriptEntry, { type: 'session' }>
/** A line holding one message. */
export type TranscriptMessageEntry = Extract<TranscriptEntry, { type: 'message' }>

/** A new random entry id: 8 lower-case hex digits, as pi-coding-agent writes them. */
export function createEntryId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4))
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** Builds the header line of a new transcript. */
export function createTranscriptHeader(sessionId: string, now: number, cwd = ''): TranscriptHeader {
  return { type: 'session', version: TRANSCRIPT_VERSION, id: sessionId, timestamp: new Date(now).toISOString(), cwd }
}

/** Builds a `message` line with a fresh id, linked to `parentId` (the previous head, or null). */
export function createMessageEntry(
  message: TranscriptMessage,
  parentId: string | null,
  now: number,
): TranscriptMessageEntry {
  return { type: 'message', id: createEntryId(), parentId, timestamp: new Date(now).toISOString(), message }
}
