import type { Scheduler } from '../deps.js'
import type { TelegramUpdate } from './update-schema.js'

/** Telegram clients split long pastes near this length; a text this long may have a continuation. */
export const FRAGMENT_START_CHARS = 4000
const MAX_PARTS = 12
const MAX_CHARS = 50_000

interface Pending {
  updates: TelegramUpdate[]
  lastMessageId: number
  lastAt: number
  chars: number
  cancel: () => void
}

/**
 * Joins the parts of a long paste into one message: a non-command text of ≥ 4000 characters opens a buffer (per chat,
 * topic and sender) that takes the next message when its id is exactly +1 and it arrives within the window; the joined
 * text (no separator, the last part's id) is released a window after the last part or at 12 parts / 50 000 characters.
 * @see spec/telegram.md §4.2
 */
export class FragmentBuffer {
  readonly #scheduler: Scheduler
  readonly #now: () => number
  readonly #windowMs: number
  readonly #release: (update: TelegramUpdate) => void
  readonly #pending = new Map<string, Pending>()

  constructor(options: { scheduler: Scheduler; now: () => number; windowMs: number; release: (update: TelegramUpdate) => void }) {
    this.#scheduler = options.scheduler
    this.#now = options.now
    this.#windowMs = options.windowMs
    this.#release = options.release
  }

  /** Takes an update; everything not buffered (and any buffer it ends) is released in arrival order. */
  offer(update: TelegramUpdate): void {
    const message = update.message
    const key = message === undefined || message.from === undefined ? undefined : `${message.chat.id}:${message.message_thread_id ?? ''}:${message.from.id}`
    const pending = key === undefined ? undefined : this.#pending.get(key)
    const text = message?.text ?? ''
    if (pending !== undefined && message !== undefined && key !== undefined) {
      const joins = message.message_id === pending.lastMessageId + 1 && this.#now() - pending.lastAt <= this.#windowMs && text !== '' && !text.startsWith('/')
      if (joins) {
        pending.updates.push(update)
        pending.lastMessageId = message.message_id
        pending.lastAt = this.#now()
        pending.chars += text.length
        pending.cancel()
        if (pending.updates.length >= MAX_PARTS || pending.chars >= MAX_CHARS) this.#flush(key)
        else pending.cancel = this.#scheduler.after(this.#windowMs, () => this.#flush(key))
        return
      }
      this.#flush(key)
    }
    if (key !== undefined && message !== undefined && text.length >= FRAGMENT_START_CHARS && !text.startsWith('/')) {
      this.#pending.set(key, {
        updates: [update],
        lastMessageId: message.message_id,
        lastAt: this.#now(),
        chars: text.length,
        cancel: this.#scheduler.after(this.#windowMs, () => this.#flush(key)),
      })
      return
    }
    this.#release(update)
  }

  /** Releases every open buffer now (shutdown). */
  flushAll(): void {
    for (const key of [...this.#pending.keys()]) this.#flush(key)
  }

  #flush(key: string): void {
    const pending = this.#pending.get(key)
    if (pending === undefined) return
    this.#pending.delete(key)
    pending.cancel()
    const last = pending.updates[pending.updates.length - 1] as TelegramUpdate
    const text = pending.updates.map((update) => update.message?.text ?? '').join('')
    this.#release({ ...last, message: { ...(last.message as NonNullable<TelegramUpdate['message']>), text, entities: [] } })
  }
}
