import { toSlug } from './to-slug.js'

/** The sender as allowlists see them. */
export interface ListedUser {
  id: string
  username?: string
  globalName?: string
  nick?: string
  /** `name#1234` for legacy accounts; new usernames have no discriminator. */
  tag?: string
}

/**
 * Whether a user matches an allowlist (`users`, `dm.allowFrom`): entries may be ids, `<@id>`/`<@!id>` mentions,
 * `discord:`/`user:` prefixed ids, names or tags (compared by slug), or `*` for anyone.
 * @see spec/discord.md §6.1 step 8
 */
export function matchesUserList(list: ReadonlyArray<string | number>, user: ListedUser): boolean {
  const names = [user.username, user.globalName, user.nick, user.tag]
    .filter((name): name is string => name !== undefined && name !== '')
    .map(toSlug)
  return list.some((raw) => {
    const entry = String(raw)
      .trim()
      .replace(/^<@!?(\d+)>$/, '$1')
      .replace(/^(discord|user):/i, '')
      .trim()
    if (entry === '*') return true
    if (/^\d+$/.test(entry)) return entry === user.id
    const slug = toSlug(entry.replace(/^@/, ''))
    return slug !== '' && names.includes(slug)
  })
}
