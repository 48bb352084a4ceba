// Upstream's cap per session: older events are dropped first.
const MAX_EVENTS = 20

/** One queued system event. */
export interface SystemEvent {
  text: string
  ts: number
}

/**
 * In-memory system events per session key, consumed by that session's next run (a heartbeat or any message).
 * Nothing is persisted: events queued and not consumed before a restart are lost, as upstream.
 * @see spec/automation.md §1.12
 */
export class SystemEventQueue {
  readonly #queues = new Map<string, SystemEvent[]>()

  /** Queues `text` for `sessionKey`; blank text and a repeat of the last queued text are ignored. */
  enqueue(sessionKey: string, text: string, ts: number): boolean {
    const trimmed = text.trim()
    if (trimmed === '') return false
    const queue = this.#queues.get(sessionKey) ?? []
    if (queue.at(-1)?.text === trimmed) return false
    queue.push({ text: trimmed, ts })
    if (queue.length > MAX_EVENTS) queue.splice(0, queue.length - MAX_EVENTS)
    this.#queues.set(sessionKey, queue)
    return true
  }

  peek(sessionKey: string): readonly SystemEvent[] {
    return this.#queues.get(sessionKey) ?? []
  }

  /** Takes every queued event of the session. */
  drain(sessionKey: string): SystemEvent[] {
    const queue = this.#queues.get(sessionKey) ?? []
    this.#queues.delete(sessionKey)
    return queue
  }
}

/**
 * Prefixes a prompt with the drained events, one `System: [<time>] <text>` line each, then a blank line.
 * DEVIATION: upstream also drops every event mentioning "heartbeat"; we keep user and cron texts and only drop the
 * gateway's own periodic presence lines (`reason periodic`), which we never queue anyway.
 */
export function prefixSystemEvents(events: readonly SystemEvent[], body: string, timeZone?: string): string {
  const kept = events.filter((event) => !/reason periodic/i.test(event.text))
  if (kept.length === 0) return body
  const lines = kept.map((event) => `System: [${formatEventTime(event.ts, timeZone)}] ${event.text}`)
  return `${lines.join('\n')}\n\n${body}`
}

/** `2026-01-12 18:00:00 UTC`-style stamp in the envelope zone (the user's, else UTC). */
export function formatEventTime(ts: number, timeZone?: string): string {
  const zone = safeZone(timeZone) ?? 'UTC'
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(new Date(ts))
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} ${get('timeZoneName')}`
}

/** The zone if `Intl` knows it, else undefined. */
export function safeZone(timeZone: string | undefined): string | undefined {
  if (timeZone === undefined || timeZone.trim() === '') return undefined
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timeZone.trim() })
    return timeZone.trim()
  } catch {
    return undefined
  }
}
