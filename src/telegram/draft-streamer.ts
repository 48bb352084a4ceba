import type { Scheduler } from '../deps.js'
import type { TelegramApi } from './telegram-api.js'

/**
 * Shows a reply while it is written with `sendMessageDraft` (private topics of bots with topics enabled): plain text,
 * at most one call per interval, identical text skipped, stopped for good once the text outgrows a message or a call
 * fails. The final answer is always a normal `sendMessage`.
 * @see spec/telegram.md §5.4
 */
export class DraftStreamer {
  readonly #api: TelegramApi
  readonly #scheduler: Scheduler
  readonly #now: () => number
  readonly #params: { chat_id: string; draft_id: number; message_thread_id: number }
  readonly #intervalMs: number
  readonly #limit: number
  #latest = ''
  #sent = ''
  #lastAt = Number.NEGATIVE_INFINITY
  #cancelTimer: (() => void) | undefined
  #inFlight: Promise<void> | undefined
  #stopped = false

  constructor(options: {
    api: TelegramApi
    scheduler: Scheduler
    now: () => number
    chatId: string
    draftId: number
    threadId: number
    intervalMs: number
    limit: number
  }) {
    this.#api = options.api
    this.#scheduler = options.scheduler
    this.#now = options.now
    this.#params = { chat_id: options.chatId, draft_id: options.draftId, message_thread_id: options.threadId }
    this.#intervalMs = options.intervalMs
    this.#limit = options.limit
  }

  update(text: string): void {
    if (this.#stopped) return
    if (text.length > this.#limit) {
      this.#stopped = true
      return
    }
    this.#latest = text
    this.#pump()
  }

  async finish(): Promise<void> {
    this.#stopped = true
    this.#cancelTimer?.()
    await this.#inFlight
  }

  #pump(): void {
    if (this.#stopped || this.#cancelTimer !== undefined || this.#inFlight !== undefined) return
    const text = this.#latest
    if (text.trim() === '' || text === this.#sent) return
    const wait = this.#lastAt + this.#intervalMs - this.#now()
    if (wait > 0) {
      this.#cancelTimer = this.#scheduler.after(wait, () => {
        this.#cancelTimer = undefined
        this.#pump()
      })
      return
    }
    this.#lastAt = this.#now()
    this.#sent = text
    this.#inFlight = this.#api
      .call('sendMessageDraft', { ...this.#params, text })
      .then(
        () => undefined,
        () => void (this.#stopped = true),
      )
      .finally(() => {
        this.#inFlight = undefined
        this.#pump()
      })
  }
}
