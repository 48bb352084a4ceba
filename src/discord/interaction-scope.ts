import type { AgentRunner } from '../agent/agent-runner.js'
import type { SessionModelControl } from '../channels/session-command-texts.js'
import type { AppDeps } from '../deps.js'
import type { Logger } from '../logging/logger.js'
import type { DiscordAccount } from './discord-account.js'
import { EPHEMERAL_FLAG, NO_MENTIONS, ResponseKind } from './discord-api.js'
import type { DiscordChannel } from './discord-channel.js'
import type { InteractionContext } from './interaction-context.js'
import type { Interaction } from './interaction-schema.js'

/** Per-session model control for `/model` (shared with Telegram). */
export type DiscordSessionControl = SessionModelControl

/** What the lead passes to `createDiscordRoutes`. */
export interface DiscordServices {
  runner: AgentRunner
  discord: DiscordChannel
  sessions?: DiscordSessionControl
}

/** A reply still streaming, so its Stop button can find the session (and check who pressed it). */
export interface ActiveReply {
  sessionKey: string
  ownerId: string
}

/** Everything a handler needs for one verified interaction. */
export interface InteractionScope {
  deps: AppDeps
  services: DiscordServices
  account: DiscordAccount
  interaction: Interaction
  context: InteractionContext
  receivedAt: number
  logger: Logger
  activeReplies: Map<string, ActiveReply>
}

/** A handler's answer: the initial response body now, and optional work that continues after it is sent. */
export interface HandlerResult {
  body: Record<string, unknown>
  work?: () => Promise<void>
}

/** An ephemeral type-4 message: how refusals and quick answers go out (a normal 200, never a 401). */
export function ephemeralMessage(content: string): HandlerResult {
  return { body: { type: ResponseKind.message, data: { content, flags: EPHEMERAL_FLAG, allowed_mentions: NO_MENTIONS } } }
}

/** A deferred type-5 response ("thinking…"); the ephemeral choice is final from here on. */
export function deferred(ephemeral: boolean, work: () => Promise<void>): HandlerResult {
  return { body: { type: ResponseKind.deferredMessage, ...(ephemeral ? { data: { flags: EPHEMERAL_FLAG } } : {}) }, work }
}
