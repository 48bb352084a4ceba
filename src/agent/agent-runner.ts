import type { RunEventListener } from './run-events.js'
import type { ModelUsage, StopReason } from '../providers/model-provider.js'

/** A user message entering the runtime from any channel (Discord, the WebSocket chat, the OpenAI endpoint). */
export interface InboundMessage {
  agentId: string
  /** Canonical session key, e.g. `agent:main:discord:channel:123`. */
  sessionKey: string
  text: string
  /** Base64 images attached to the message. */
  images?: { data: string; mimeType: string }[]
  /** Surface name for the prompt and the session entry: `discord`, `webchat`, `openai-api`. */
  channel: string
  /** Caller-chosen run id (the WebSocket idempotency key); generated when absent. */
  runId?: string
  chatType?: 'direct' | 'group' | 'channel'
  /** Guild channels: topic and the channel's `systemPrompt` from the config. */
  groupChat?: { topic?: string; systemPrompt?: string }
  /** Who wrote it, for group prompts: `Nick (user#tag)`. */
  senderLabel?: string
  /** Metadata recorded on the session entry (origin, delivery context, display name). */
  sessionMeta?: Record<string, unknown>
  /** A model for this turn only (e.g. the OpenAI endpoint's `model`), still subject to the allowlist. */
  modelOverride?: string
}

/** How a run ended, for callers that only need the result. */
export type RunOutcome =
  | { kind: 'completed'; runId: string; text: string; silent: boolean; model: string; usage: ModelUsage; stopReason: StopReason }
  | { kind: 'aborted'; runId: string; text: string }
  | { kind: 'failed'; runId: string; message: string; detail: string }

/** What `send` returns at once, before any event: the run may start now or wait behind its session. */
export interface RunHandle {
  /** The run this message is answered by; for a message merged into a collected turn, that turn's id. */
  runId: string
  sessionKey: string
  /** `queued`: waits behind the session's current run; `merged`: folded into a collected follow-up turn. */
  status: 'started' | 'queued' | 'merged'
  /** Events of this run only. Safe to call right after `send`: nothing is emitted synchronously. */
  subscribe(listener: RunEventListener): () => void
  done: Promise<RunOutcome>
  /**
   * Withdraws this message only (its caller hung up): a held message leaves the queue, a run answering only this
   * message stops. Other callers' runs and queued messages on the same session go on. False when nothing changed.
   */
  cancel(): boolean
}

/** The agent runtime as channels see it. */
export interface AgentRunner {
  send(message: InboundMessage): RunHandle
  /** Aborts the session's running turn (and drops its queued messages); false when nothing runs. */
  abort(sessionKey: string): boolean
  /** Every event of every run, e.g. to broadcast runs started from Discord to WebSocket clients. */
  subscribe(listener: RunEventListener): () => void
  activeRun(sessionKey: string): { runId: string; startedAt: number } | undefined
  /** Runs in flight and waiting, for `/status` and health. */
  stats(): { active: number; queued: number }
}
