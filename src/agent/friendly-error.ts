import { AppError } from '../errors.js'
import { classifyFailoverError, isContextOverflow, toErrorMessage } from './classify-failover-error.js'
import { AllModelsFailedError } from './run-with-failover.js'

/*
 * Spec §6.3 step 3: the text a user sees when a run fails. Upstream ends the generic text with
 * `Logs: moltbot logs --follow`; we have no such command, and core does not know whether the logs are a terminal,
 * `fly logs` or `wrangler tail`, so the sentence only says where the details are. Messages go through
 * `toErrorMessage`, which prefers the API's own message over the SDK's raw body and redacts anything like a key.
 */

/** Shown when the provider is overloaded or rate limited. */
export const OVERLOADED_TEXT = 'The AI service is temporarily overloaded. Please try again in a moment.'
/** Shown when the provider call timed out. */
export const TIMEOUT_TEXT = 'LLM request timed out.'
/** Shown when the conversation no longer fits the model's context window. */
export const CONTEXT_OVERFLOW_TEXT =
  'Context overflow: prompt too large for the model. Try /new to start a fresh session.'

/** Turns a run error into one short message a chat user can act on, without keys or request bodies. */
export function toFriendlyError(error: unknown): string {
  if (error instanceof AllModelsFailedError) return agentFailedText(error.message)
  if (isContextOverflow(error)) return CONTEXT_OVERFLOW_TEXT
  const reason = classifyFailoverError(error)
  if (reason === 'rate_limit') return OVERLOADED_TEXT
  if (reason === 'timeout') return TIMEOUT_TEXT
  const status = statusOf(error)
  if (status !== undefined && status >= 400 && status < 500) return `LLM request rejected: ${toErrorMessage(error)}`
  return agentFailedText(toErrorMessage(error))
}

function agentFailedText(message: string): string {
  // The template adds its own full stop; a message that already ends in one would otherwise show two.
  return `⚠️ Agent failed before reply: ${message.replace(/\.+$/, '')}. Details are in the gateway log.`
}

function statusOf(error: unknown): number | undefined {
  // Our own AppError carries an HTTP status too, but it is not a provider's rejection.
  if (typeof error !== 'object' || error === null || error instanceof AppError) return undefined
  const status = (error as { status?: unknown }).status
  return typeof status === 'number' ? status : undefined
}
