/**
 * Upstream's slug for guild and channel names: lower-case, a leading `#` dropped, runs of other characters
 * collapsed to `-`, dashes trimmed (spec/discord.md §6.1 step 4).
 */
export function toSlug(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/^#/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}
