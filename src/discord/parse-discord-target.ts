import { DeliveryTargetError } from '../channels/channel-delivery.js'

/** A resolved Discord recipient: a channel to post in, or a user to open a DM with. */
export type DiscordRecipient = { kind: 'channel'; id: string } | { kind: 'user'; id: string }

/** Upstream's error when a Discord delivery has no target. */
export const DISCORD_TARGET_REQUIRED = 'Delivering to Discord requires target <channelId|user:ID|channel:ID>'

/**
 * Reads a Discord target string as upstream does: `channel:<id>`, `user:<id>`, mentions (`<@id>`, `<@!id>`),
 * `discord:<id>` and `@<digits>` are explicit; a bare non-numeric word is a channel. Bare digits are ambiguous for
 * `agent`/`send`/cron (`bareDigits: 'reject'`) but a channel for the message tool (`'channel'`).
 * @see spec/agent-api.md §1.5
 */
export function parseDiscordTarget(raw: string | undefined, options: { bareDigits: 'reject' | 'channel' } = { bareDigits: 'reject' }): DiscordRecipient {
  const to = (raw ?? '').trim()
  if (to === '') throw new DeliveryTargetError(DISCORD_TARGET_REQUIRED)
  const prefixed = /^(channel|user|discord):(.*)$/i.exec(to)
  if (prefixed !== null) {
    const kind = (prefixed[1] as string).toLowerCase() === 'channel' ? 'channel' : 'user'
    const id = (prefixed[2] as string).trim()
    if (id === '') throw new DeliveryTargetError(DISCORD_TARGET_REQUIRED)
    if (kind === 'user' && !/^\d{1,25}$/.test(id)) throw new DeliveryTargetError(`Invalid Discord user id in "${to.slice(0, 40)}"; use user:<numeric id>`)
    return { kind, id }
  }
  const mention = /^<@!?(\d{1,25})>$/.exec(to) ?? /^@(\d{1,25})$/.exec(to)
  if (mention !== null) return { kind: 'user', id: mention[1] as string }
  if (/^\d+$/.test(to)) {
    if (options.bareDigits === 'channel') return { kind: 'channel', id: to }
    throw new DeliveryTargetError(`Ambiguous Discord recipient "${to}". Use "user:${to}" for DMs or "channel:${to}" for channel messages.`)
  }
  if (/\s/.test(to) || to.length > 100) throw new DeliveryTargetError(`Invalid Discord target "${to.slice(0, 40)}"; use channel:<id> or user:<id>`)
  return { kind: 'channel', id: to }
}
