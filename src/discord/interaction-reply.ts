import type { Logger } from '../logging/logger.js'
import { chunkMessage, type ChunkLimits } from './chunk-message.js'
import {
  ComponentKind,
  EPHEMERAL_FLAG,
  INTERACTION_TOKEN_LIFETIME_MS,
  NO_MENTIONS,
  USER_INSTALL_FOLLOW_UP_LIMIT,
} from './discord-api.js'
import { DiscordApiError, type DiscordRest } from './discord-rest.js'

/** Stop using the interaction token this long before Discord's 15 minutes run out (spec/discord.md §2.6). */
export const TOKEN_SAFETY_MARGIN_MS = 60_000

/** Where a deferred interaction's reply goes. */
export interface ReplyTarget {
  rest: DiscordRest
  applicationId: string
  /** The interaction token: authenticates the webhook routes for 15 minutes. */
  token: string
  channelId: string
  /** When we received the interaction; the token's clock starts there. */
  receivedAt: number
  /** Fixed at defer time: ephemeral text must never fall back to a public channel message. */
  ephemeral: boolean
  /** At most five follow-ups where the app is only user-installed. */
  userInstallOnly: boolean
}

/**
 * One deferred interaction reply: edits of `@original`, follow-ups for extra chunks, and the bot-token channel
 * message as the fallback once the interaction token has (nearly) expired. Every body disables mentions.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#followup-messages
 */
export class InteractionReply {
  readonly #target: ReplyTarget
  readonly #now: () => number
  readonly #logger: Logger
  readonly #limits: ChunkLimits
  #followUps = 0
  #tokenDead = false

  constructor(target: ReplyTarget, options: { now: () => number; logger: Logger; limits?: ChunkLimits }) {
    this.#target = target
    this.#now = options.now
    this.#logger = options.logger
    this.#limits = options.limits ?? {}
  }

  /** Chunks `text` for Discord with this channel's limits. */
  chunk(text: string): string[] {
    return chunkMessage(text, this.#limits)
  }

  /** Whether the interaction token can still be used. */
  tokenUsable(): boolean {
    const deadline = this.#target.receivedAt + INTERACTION_TOKEN_LIFETIME_MS - TOKEN_SAFETY_MARGIN_MS
    return !this.#tokenDead && this.#now() < deadline
  }

  /** Replaces the deferred message's content; `stopButtonId` adds a Stop button while a reply streams. */
  async editOriginal(content: string, stopButtonId?: string): Promise<void> {
    const components = stopButtonId === undefined ? [] : [stopRow(stopButtonId)]
    await this.#webhook('PATCH', '/messages/@original', { content, components, allowed_mentions: NO_MENTIONS })
  }

  /** Removes the deferred "thinking…" message (a silent `NO_REPLY` answer). */
  async deleteOriginal(): Promise<void> {
    await this.#webhook('DELETE', '/messages/@original', undefined)
  }

  /**
   * Delivers a final reply: the first chunk replaces `@original`, the rest go out as follow-ups, and anything the
   * token can no longer carry goes to the channel with the bot token (public replies only).
   */
  async deliver(text: string): Promise<void> {
    const chunks = this.chunk(text)
    if (chunks.length === 0) chunks.push('(no reply)')
    const [first, ...rest] = chunks as [string, ...string[]]
    if (this.tokenUsable()) {
      try {
        await this.editOriginal(first)
      } catch (error) {
        if (!isTokenGone(error)) throw error
        this.#tokenDead = true
        await this.#postToChannel(first)
      }
    } else if (!(await this.#postToChannel(first))) {
      this.#logger.warn('dropped a private reply: the interaction token expired before the run finished')
      return
    }
    const limit = this.#target.userInstallOnly ? USER_INSTALL_FOLLOW_UP_LIMIT : Number.POSITIVE_INFINITY
    for (const [index, chunk] of rest.entries()) {
      if (this.tokenUsable() && this.#followUps < limit) {
        this.#followUps += 1
        await this.#webhook('POST', '', {
          content: chunk,
          allowed_mentions: NO_MENTIONS,
          ...(this.#target.ephemeral ? { flags: EPHEMERAL_FLAG } : {}),
        })
      } else if (!(await this.#postToChannel(chunk))) {
        this.#logger.warn(`dropped ${rest.length - index} private reply chunk(s): the interaction allows no more follow-ups`)
        return
      }
    }
  }

  async #webhook(method: string, suffix: string, body: unknown): Promise<void> {
    const path = `/webhooks/${this.#target.applicationId}/${this.#target.token}${suffix}`
    await this.#target.rest.request(method, path, { body, auth: false })
  }

  /** Posts with the bot token; false (nothing sent) for ephemeral replies, which must stay private. */
  async #postToChannel(content: string): Promise<boolean> {
    if (this.#target.ephemeral) return false
    await this.#target.rest.request('POST', `/channels/${this.#target.channelId}/messages`, {
      body: { content, allowed_mentions: NO_MENTIONS },
    })
    return true
  }
}

function stopRow(customId: string) {
  return {
    type: ComponentKind.actionRow,
    components: [{ type: ComponentKind.button, style: 4, label: 'Stop', custom_id: customId }],
  }
}

/** 404 Unknown Webhook / Unknown Interaction: the token expired; retrying it only counts towards the ban limit. */
function isTokenGone(error: unknown): boolean {
  return error instanceof DiscordApiError && (error.status === 404 || error.code === 10015 || error.code === 10062)
}
