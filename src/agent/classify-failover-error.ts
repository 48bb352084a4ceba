import { ProviderStreamError } from '../providers/provider-stream-error.js'

/*
 * Spec §6.3: which provider errors justify trying another profile or model. Status codes win over words; the word
 * patterns run in the spec's order (rate_limit, overloaded, format, billing, timeout, auth). Anything else, including
 * context overflow and user aborts, is the user's problem to see, not something another model would fix.
 */

/** Why a model attempt failed in a way that another profile or model might not. */
export type FailoverReason = 'billing' | 'rate_limit' | 'auth' | 'timeout' | 'format' | 'unknown'

/** An error the runtime throws itself when it already knows the attempt should fail over (e.g. a too-small context window → `unknown`). */
export class FailoverError extends Error {
  readonly reason: FailoverReason

  constructor(reason: FailoverReason, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'FailoverError'
    this.reason = reason
  }
}

const STATUS_REASONS: ReadonlyMap<number, FailoverReason> = new Map([
  [402, 'billing'],
  [429, 'rate_limit'],
  // Anthropic's "overloaded" status: another model is exactly the right answer.
  [529, 'rate_limit'],
  [401, 'auth'],
  [403, 'auth'],
  [408, 'timeout'],
])

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNRESET', 'ECONNABORTED'])
const TIMEOUT_NAMES = new Set(['TimeoutError', 'APIConnectionTimeoutError'])

const MESSAGE_PATTERNS: readonly [FailoverReason, RegExp][] = [
  [
    'rate_limit',
    /rate[_ ]limit|too many requests|\b429\b|exceeded your current quota|resource has been exhausted|quota exceeded|resource_exhausted|usage limit/i,
  ],
  ['rate_limit', /overloaded/i],
  ['format', /string should match pattern|tool_use\.id|tool_use_id|invalid request format/i],
  ['billing', /payment required|insufficient credits|credit balance|plans & billing|\b402\b/i],
  ['timeout', /timeout|timed out|deadline exceeded/i],
  [
    'auth',
    /invalid[_ ]api[_ ]key|incorrect api key|invalid token|authentication|re-authenticate|unauthorized|forbidden|access denied|expired|\b401\b|\b403\b|no credentials found|no api key found/i,
  ],
]

const CONTEXT_OVERFLOW = /prompt is too long|context[_ ]length|maximum context|context window|context_length_exceeded/i
// Another model has the same image limits, so these go to the user as they are.
const IMAGE_LIMIT = /image.{0,80}(exceeds|too large|dimensions?|size)/i

/** Maps an error to a failover reason, or undefined when it must reach the user with no fallback. */
export function classifyFailoverError(error: unknown): FailoverReason | undefined {
  if (error instanceof FailoverError) return error.reason
  // No answer at all (refused, reset, DNS): another provider may well be up, exactly as after a timeout.
  if (error instanceof ProviderStreamError && error.type === 'unreachable') return 'timeout'
  if (isUserAbort(error) || isContextOverflow(error)) return undefined
  const status = statusOf(error)
  const byStatus = status === undefined ? undefined : STATUS_REASONS.get(status)
  if (byStatus !== undefined) return byStatus
  if (isTimeoutShaped(error) || isTimeoutShaped(field(error, 'cause'))) return 'timeout'
  const text = textsOf(error).join(' ')
  if (IMAGE_LIMIT.test(text)) return undefined
  for (const [reason, pattern] of MESSAGE_PATTERNS) {
    if (pattern.test(text)) return reason
  }
  return undefined
}

/** True for a cancellation the user asked for (an error whose name contains `Abort`), not a timeout abort. */
export function isUserAbort(error: unknown): boolean {
  if (!namesOf(error).some((name) => name.includes('Abort'))) return false
  // A run cut off by its own deadline aborts too, but that is a timeout and should fail over.
  return !isTimeoutShaped(field(error, 'cause'))
}

/** True when the prompt did not fit the model's context window; another model will not fix that silently. */
export function isContextOverflow(error: unknown): boolean {
  return CONTEXT_OVERFLOW.test(textsOf(error).join(' '))
}

/** The provider's own message on one line, preferring the API's message over the SDK's `<status> <raw body>`. */
export function toErrorMessage(error: unknown): string {
  const nested = field(field(error, 'error'), 'error')
  const candidates = [field(nested, 'message'), field(field(error, 'error'), 'message'), field(error, 'message')]
  const found = candidates.find((value): value is string => typeof value === 'string' && value.trim() !== '')
  const text = found ?? (typeof error === 'string' ? error : String(error))
  return redactSecrets(text.replace(/\s+/g, ' ').trim()).slice(0, 300)
}

/** Blanks things that look like credentials, because provider messages sometimes echo part of a key. */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(?:sk|pk|gsk|xai|rk)-[A-Za-z0-9_*-]{6,}/g, '[redacted]')
    .replace(/\bAIza[0-9A-Za-z_-]{20,}/g, '[redacted]')
    .replace(/\bBearer\s+\S+/gi, 'Bearer [redacted]')
}

function statusOf(error: unknown): number | undefined {
  for (const value of [field(error, 'status'), field(error, 'statusCode'), field(field(error, 'cause'), 'status')]) {
    const status = typeof value === 'string' ? Number(value) : value
    if (typeof status === 'number' && Number.isInteger(status)) return status
  }
  return undefined
}

function isTimeoutShaped(error: unknown): boolean {
  const code = field(error, 'code')
  return (typeof code === 'string' && TIMEOUT_CODES.has(code)) || namesOf(error).some((name) => TIMEOUT_NAMES.has(name))
}

/** The error's `name` and its class name: the OpenAI SDK leaves `name` as plain `Error` on its subclasses. */
function namesOf(error: unknown): string[] {
  const name = field(error, 'name')
  const className = field(field(error, 'constructor'), 'name')
  return [name, className].filter((value): value is string => typeof value === 'string')
}

/** Every string that may carry the reason: messages and the SDK body's error types (`overloaded_error`). */
function textsOf(error: unknown): string[] {
  if (typeof error === 'string') return [error]
  const body = field(error, 'error')
  const values = [
    field(error, 'message'),
    field(error, 'code'),
    field(body, 'type'),
    field(body, 'message'),
    field(field(body, 'error'), 'type'),
    field(field(body, 'error'), 'message'),
    field(field(error, 'cause'), 'message'),
  ]
  return values.filter((value): value is string => typeof value === 'string')
}

function field(value: unknown, key: string): unknown {
  const readable = (typeof value === 'object' && value !== null) || typeof value === 'function'
  return readable ? (value as Record<string, unknown>)[key] : undefined
}
