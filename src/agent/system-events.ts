import type { AgentRuntime } from './agent-runtime.js'

// Upstream's cap per session: older events are dropped first.
const MAX_EVENTS = 20

/** Where senders without a run of their own (hooks, later cron) leave a note for a session's next turn. */
export interface SystemEventSink {
  /** Queues `text` for `sessionKey`; blank text and a repeat of the last queued text are ignored. */
  enqueue(sessionKey: string, text: string, ts: number): boolean
}

/**
 * In-memory system events per session key, drained by that session's next run (spec/automation.md §1.12). Nothing
 * is persisted: events not consumed before a restart are lost, as upstream.
 */
export class PendingSystemEvents implements SystemEventSink {
  readonly #queues = new Map<string, { text: string; ts: number }[]>()

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

  peek(sessionKey: string): readonly { text: string; ts: number }[] {
    return this.#queues.get(sessionKey) ?? []
  }

  drain(sessionKey: string): { text: string; ts: number }[] {
    const queue = this.#queues.get(sessionKey) ?? []
    this.#queues.delete(sessionKey)
    return queue
  }
}

/**
 * The runtime with queued system events in front of each session's next message: one `System: [<UTC time>] <text>`
 * line per event, a blank line, then the message. Every channel goes through `send`, so any next turn sees them.
 */
export function withSystemEvents(runtime: AgentRuntime, events: PendingSystemEvents): AgentRuntime {
  return {
    ...runtime,
    sessions: runtime.sessions,
    send(message) {
      const queued = events.drain(message.sessionKey)
      if (queued.length === 0) return runtime.send(message)
      const lines = queued.map((event) => `System: [${new Date(event.ts).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}] ${event.text}`)
      return runtime.send({ ...message, text: `${lines.join('\n')}\n\n${message.text}` })
    },
  }
}
