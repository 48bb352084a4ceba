import type { Storage } from 'unstorage'
import { z } from 'zod'
import type { Logger } from '../logging/logger.js'
import { discordPendingReplyKey, discordPendingReplyPrefix } from '../storage/keys.js'
import type { DiscordRest } from './discord-rest.js'

/** What the user sees in place of a reply the gateway lost by restarting (a deploy, a crash, an evicted object). */
export const INTERRUPTED_REPLY_TEXT = '⚠️ The gateway restarted before this reply was finished. Please ask again.'

// Discord accepts edits with an interaction token for 15 minutes; older records can only be dropped.
const TOKEN_LIFETIME_MS = 15 * 60_000

const PendingReplySchema = z.object({ applicationId: z.string(), token: z.string(), startedAt: z.number(), bootId: z.string() })

/** Where an unfinished reply can still be edited. */
export interface PendingReplyTarget {
  applicationId: string
  token: string
}

/**
 * Remembers, in storage, every Discord reply still being streamed, so that after a restart the gateway edits each
 * unfinished one into a "please ask again" note instead of leaving "thinking…" forever. Records from this boot are
 * never touched, so a channel restart on config reload does not disturb replies in flight.
 */
export interface InterruptedReplies {
  /** Records a reply; the returned function forgets it once delivered (or failed visibly). */
  track(accountId: string, interactionId: string, target: PendingReplyTarget): Promise<() => Promise<void>>
  /** Tells the users of replies a previous boot left unfinished to retry; resolves with how many were told. */
  recover(accountId: string, rest: DiscordRest, logger: Logger): Promise<number>
}

/** Creates the tracker for one gateway boot. */
export function createInterruptedReplies(storage: Storage, now: () => number, bootId: string = crypto.randomUUID()): InterruptedReplies {
  return {
    async track(accountId, interactionId, target) {
      const key = discordPendingReplyKey(accountId, interactionId)
      await storage.setItem(key, { ...target, startedAt: now(), bootId })
      return () => storage.removeItem(key)
    },
    async recover(accountId, rest, logger) {
      let told = 0
      for (const key of await storage.getKeys(discordPendingReplyPrefix(accountId))) {
        const parsed = PendingReplySchema.safeParse(await storage.getItem(key))
        if (parsed.success && parsed.data.bootId === bootId) continue
        if (parsed.success && now() - parsed.data.startedAt < TOKEN_LIFETIME_MS) {
          const { applicationId, token } = parsed.data
          try {
            await rest.request('PATCH', `/webhooks/${applicationId}/${token}/messages/@original`, {
              auth: false,
              body: { content: INTERRUPTED_REPLY_TEXT, components: [], allowed_mentions: { parse: [] } },
            })
            told += 1
          } catch (error) {
            logger.warn(`[${accountId}] could not mark an interrupted reply: ${error instanceof Error ? error.message : String(error)}`)
          }
        }
        await storage.removeItem(key)
      }
      if (told > 0) logger.warn(`[${accountId}] ${told} reply(ies) were cut off by a restart; asked the users to retry`)
      return told
    },
  }
}
