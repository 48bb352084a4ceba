import type { RunHandle, RunOutcome } from '../agent/agent-runner.js'
import type { Logger } from '../logging/logger.js'
import { toolStatusLine, toolSummaryLine } from '../tools/tool-display.js'
import type { InteractionReply } from './interaction-reply.js'
import type { Schedule } from './schedule.js'

/** Default gap between streaming edits of `@original` (rule of thumb from spec/discord.md §2.7). */
export const DEFAULT_EDIT_INTERVAL_MS = 1_200

/** Shown when a message was folded into a collected turn whose reply goes to an earlier interaction. */
export const MERGED_TEXT = 'Added to the next reply in this conversation.'
/** Shown when the reply could not be delivered; never leave "thinking…" hanging. */
export const DELIVERY_FAILED_TEXT = '⚠️ Something went wrong while sending the reply. Please try again.'

/** Timing and identity for one streamed reply. */
export interface DeliverRunOptions {
  now: () => number
  schedule: Schedule
  editIntervalMs: number
  logger: Logger
  /** custom_id of the Stop button shown while the reply streams. */
  stopButtonId?: string
}

/**
 * Streams one run into a deferred interaction: throttled edits of `@original` while text arrives, then the final
 * text chunked (follow-ups for the rest), a deletion for `NO_REPLY`, or a short error. Never throws.
 */
export async function deliverRun(handle: RunHandle, reply: InteractionReply, options: DeliverRunOptions): Promise<void> {
  const { logger } = options
  if (handle.status === 'merged') {
    await reply.editOriginal(MERGED_TEXT).catch((error) => logger.warn(`could not edit a merged reply: ${describe(error)}`))
    return
  }
  const editor = new ThrottledEditor(reply, options)
  // While a tool runs, the streamed reply shows what it is doing; the next text replaces the status line.
  let current = ''
  const summaries: string[] = []
  const failures: string[] = []
  const unsubscribe = handle.subscribe((event) => {
    if (event.type === 'run-delta') {
      current = event.text
      editor.update(event.text)
    } else if (event.type === 'tool-call') {
      editor.update(`${current.trim() ? `${current.trim()}\n\n` : ''}_${toolStatusLine(event.name, event.arguments)}_`)
    } else if (event.type === 'tool-result') {
      if (event.verbose) summaries.push(toolSummaryLine(event.name, event.arguments ?? {}, event.isError))
      if (event.isError) failures.push(toolSummaryLine(event.name, event.arguments ?? {}, true))
    }
  })
  let outcome: RunOutcome
  try {
    outcome = await handle.done
  } catch (error) {
    logger.error(`run ${handle.runId} failed without an outcome: ${describe(error)}`)
    outcome = { kind: 'failed', runId: handle.runId, message: DELIVERY_FAILED_TEXT, detail: describe(error) }
  } finally {
    unsubscribe()
  }
  await editor.finish()
  try {
    if (outcome.kind === 'completed' && outcome.silent) await reply.deleteOriginal()
    else if (outcome.kind === 'completed') await reply.deliver(withToolLines(outcome.text, summaries, failures))
    else if (outcome.kind === 'aborted') await reply.deliver(outcome.text.trim() === '' ? 'Stopped.' : `${outcome.text}\n\n_(stopped)_`)
    else await reply.deliver(outcome.message)
  } catch (error) {
    logger.warn(`could not deliver the reply of run ${handle.runId}: ${describe(error)}`)
    if (reply.tokenUsable()) await reply.editOriginal(DELIVERY_FAILED_TEXT).catch(() => undefined)
  }
}

// Verbose runs show one summary line per tool call above the answer; an empty answer after a failed tool says so.
function withToolLines(text: string, summaries: readonly string[], failures: readonly string[]): string {
  if (!text.trim() && failures.length > 0) return `⚠️ ${failures.at(-1)}`
  return summaries.length > 0 ? `${summaries.join('\n')}\n\n${text}` : text
}

/** Edits `@original` with the latest text at most once per interval, one request in flight at a time. */
class ThrottledEditor {
  readonly #reply: InteractionReply
  readonly #options: DeliverRunOptions
  #latest = ''
  #lastEditAt = Number.NEGATIVE_INFINITY
  #cancelTimer: (() => void) | undefined
  #inFlight: Promise<void> | undefined
  #dirty = false
  #finished = false

  constructor(reply: InteractionReply, options: DeliverRunOptions) {
    this.#reply = reply
    this.#options = options
  }

  update(text: string): void {
    this.#latest = text
    this.#pump()
  }

  async finish(): Promise<void> {
    this.#finished = true
    this.#cancelTimer?.()
    await this.#inFlight
  }

  #pump(): void {
    if (this.#finished || this.#cancelTimer !== undefined || !this.#reply.tokenUsable()) return
    if (this.#inFlight !== undefined) {
      this.#dirty = true
      return
    }
    const wait = this.#lastEditAt + this.#options.editIntervalMs - this.#options.now()
    if (wait > 0) {
      this.#cancelTimer = this.#options.schedule(() => {
        this.#cancelTimer = undefined
        this.#pump()
      }, wait)
      return
    }
    // The preview is the first chunk: it is what the final edit will show, so the message does not jump.
    const preview = this.#reply.chunk(this.#latest)[0]
    if (preview === undefined) return
    this.#lastEditAt = this.#options.now()
    this.#inFlight = this.#reply
      .editOriginal(preview, this.#options.stopButtonId)
      .catch((error) => this.#options.logger.debug(`streaming edit failed: ${describe(error)}`))
      .finally(() => {
        this.#inFlight = undefined
        if (this.#dirty) {
          this.#dirty = false
          this.#pump()
        }
      })
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
