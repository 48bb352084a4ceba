/**
 * One way for every sender (cron, heartbeat, `send`, `agent` with `deliver`, HTTP hooks) to post a message to a
 * channel. Each channel (Discord, Telegram, …) registers a deliverer; senders never talk to a channel's API directly.
 */

/** Where an outbound message goes, in the channel's own target syntax (`channel:<id>`, `user:<id>`, a chat id, …). */
export interface DeliveryTarget {
  /** The channel id as config and upstream spell it: `discord`, `telegram`. */
  channel: string
  to: string
  /** The channel account; the channel's default account when absent. */
  accountId?: string
  /** A thread or forum topic inside the target, where the channel has them. */
  threadId?: string
}

/** What is delivered. Text is chunked by the channel to its own limits. */
export interface OutboundMessage {
  text: string
}

/** What a delivery produced; `messageId` is the last chunk's, as upstream's `send` reports it. */
export interface DeliveryReceipt {
  channel: string
  messageId: string
  /** Every chunk's id, in order. */
  messageIds: string[]
  /** The conversation the message landed in: a Discord channel id (a DM channel for `user:` targets), a chat id. */
  conversationId: string
}

/** A channel's outbound side. */
export interface ChannelDeliverer {
  readonly channel: string
  /** Checks a target string without sending; throws `DeliveryTargetError` with the channel's own wording. */
  checkTarget(target: DeliveryTarget): void
  deliver(target: DeliveryTarget, message: OutboundMessage, signal?: AbortSignal): Promise<DeliveryReceipt>
  /** Posts a native poll; absent on channels without polls (the `poll` method then answers `unsupported poll channel`). */
  sendPoll?(target: DeliveryTarget, poll: OutboundPoll): Promise<DeliveryReceipt>
}

/** A poll as the `poll` method carries it (spec/agent-api.md §3). */
export interface OutboundPoll {
  question: string
  /** 2–12 answers; a channel with a lower limit refuses the rest with a `DeliveryTargetError`. */
  options: string[]
  maxSelections?: number
  durationHours?: number
}

/** A target the channel cannot use; its message is shown to the caller as-is (upstream's texts). */
export class DeliveryTargetError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DeliveryTargetError'
  }
}
