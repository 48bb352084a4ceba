import { z } from 'zod'

/**
 * Caps on client-supplied text that ends up persisted (the sessions index, transcripts). Every such field is read
 * through `limitedText`, so an 8 MiB label is a clear `INVALID_REQUEST`/400 instead of a 9 MB sessions.json that every
 * `sessions.list` then ships to every client.
 */
export const TEXT_LIMITS = {
  /** `sessions.patch` label; the UI shows one line. */
  label: 256,
  /** Session keys are index keys and file names: `agent:<id>:<rest>`. */
  sessionKey: 512,
  /** `provider/model` refs. */
  modelRef: 256,
  /** Idempotency keys and OpenAI `user` ids. */
  id: 256,
  /** One chat message's text; attachments are capped by the frame size. */
  message: 512 * 1024,
} as const

/** A string of at most `max` characters whose error names the limit. */
export function limitedText(max: number) {
  return z.string().max(max, { message: `too long: at most ${max} characters` })
}
