import type { Scheduler } from '../deps.js'
import type { TelegramUpdate } from './update-schema.js'

/** Upstream waits this long after an album's last part before handling it. */
export const ALBUM_QUIET_MS = 500

/**
 * Collects the messages of one album (same `media_group_id`), which Telegram sends as separate updates, into one:
 * released once no part arrived for the quiet period; the first part with a caption gives the text, and every part's
 * largest photo is attached (`album_photos`).
 * @see spec/telegram.md §4.2
 */
export class AlbumBuffer {
  readonly #scheduler: Scheduler
  readonly #quietMs: number
  readonly #release: (update: TelegramUpdate) => void
  readonly #pending = new Map<string, { updates: TelegramUpdate[]; cancel: () => void }>()

  constructor(options: { scheduler: Scheduler; quietMs?: number; release: (update: TelegramUpdate) => void }) {
    this.#scheduler = options.scheduler
    this.#quietMs = options.quietMs ?? ALBUM_QUIET_MS
    this.#release = options.release
  }

  offer(update: TelegramUpdate): void {
    const message = update.message
    if (message?.media_group_id === undefined) return this.#release(update)
    const key = `${message.chat.id}:${message.media_group_id}`
    const pending = this.#pending.get(key)
    if (pending === undefined) {
      this.#pending.set(key, { updates: [update], cancel: this.#scheduler.after(this.#quietMs, () => this.#flush(key)) })
      return
    }
    pending.updates.push(update)
    pending.cancel()
    pending.cancel = this.#scheduler.after(this.#quietMs, () => this.#flush(key))
  }

  #flush(key: string): void {
    const pending = this.#pending.get(key)
    if (pending === undefined) return
    this.#pending.delete(key)
    const messages = pending.updates.map((update) => update.message as NonNullable<TelegramUpdate['message']>)
    const captioned = messages.find((message) => (message.caption ?? '') !== '') ?? (messages[0] as NonNullable<TelegramUpdate['message']>)
    const photos = messages.map((message) => message.photo?.[message.photo.length - 1]?.file_id).filter((id): id is string => id !== undefined)
    const first = pending.updates[0] as TelegramUpdate
    this.#release({ ...first, message: { ...captioned, album_photos: photos } })
  }
}
