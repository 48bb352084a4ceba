import { z } from 'zod'
import type { DiscordRest } from './discord-rest.js'
import type { Schedule } from './schedule.js'

/** How long a looked-up name is trusted; renames are rare and only affect slug-keyed config entries. */
const NAME_TTL_MS = 10 * 60_000
/** A failed lookup is not retried for this long, so an outage does not add a REST call to every interaction. */
const FAILURE_TTL_MS = 60_000
/** The interaction must be answered within 3 s; a name lookup may use at most this much of it. */
const LOOKUP_BUDGET_MS = 1_200

const NamedSchema = z.looseObject({ name: z.string().nullish() })

/**
 * Guild and channel names by id, fetched with the bot token and cached. Interactions carry no guild name, and a
 * thread's payload has no parent name, yet slug-keyed config entries need them (spec/discord.md §8).
 */
export class NameCache {
  readonly #entries = new Map<string, { name: string | undefined; expiresAt: number }>()
  readonly #rest: DiscordRest
  readonly #now: () => number
  readonly #schedule: Schedule

  constructor(options: { rest: DiscordRest; now: () => number; schedule: Schedule }) {
    this.#rest = options.rest
    this.#now = options.now
    this.#schedule = options.schedule
  }

  /** The guild's name from `GET /guilds/{id}`, or undefined when it cannot be fetched in time. */
  guildName(guildId: string): Promise<string | undefined> {
    return this.#lookup(`/guilds/${guildId}`)
  }

  /** A channel's name from `GET /channels/{id}` (a thread's parent). */
  channelName(channelId: string): Promise<string | undefined> {
    return this.#lookup(`/channels/${channelId}`)
  }

  async #lookup(path: string): Promise<string | undefined> {
    const cached = this.#entries.get(path)
    if (cached !== undefined && cached.expiresAt > this.#now()) return cached.name
    let cancel: () => void = () => {}
    const timeout = new Promise<'timeout'>((resolve) => {
      cancel = this.#schedule(() => resolve('timeout'), LOOKUP_BUDGET_MS)
    })
    const fetched = this.#rest.request('GET', path).then(
      (body) => NamedSchema.safeParse(body).data?.name ?? undefined,
      () => 'failed' as const,
    )
    const result = await Promise.race([fetched, timeout])
    cancel()
    if (result === 'timeout' || result === 'failed') {
      this.#entries.set(path, { name: undefined, expiresAt: this.#now() + FAILURE_TTL_MS })
      // A slow answer still fills the cache for the next interaction.
      if (result === 'timeout') void fetched.then((name) => name !== 'failed' && this.#remember(path, name))
      return undefined
    }
    this.#remember(path, result)
    return result
  }

  #remember(path: string, name: string | undefined): void {
    this.#entries.set(path, { name, expiresAt: this.#now() + NAME_TTL_MS })
  }
}
