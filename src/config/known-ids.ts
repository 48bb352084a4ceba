/**
 * The one place that lists which channel and plugin ids the config may name, and which upstream
 * top-level sections we accept but do not implement.
 */

/** Channel ids accepted under `channels.*` (only `discord` is implemented; the rest pass through). */
export const KNOWN_CHANNEL_IDS: readonly string[] = [
  'discord',
  'telegram',
  'whatsapp',
  'slack',
  'signal',
  'imessage',
  'msteams',
  'googlechat',
  'mattermost',
  'matrix',
  'line',
  'nostr',
  'zalo',
  'bluebubbles',
]

/** Channels whose config we validate and act on; other known ids are ignored with a warning. */
export const IMPLEMENTED_CHANNEL_IDS: readonly string[] = ['discord', 'telegram']

/** Plugin ids accepted in `plugins.entries`, `plugins.allow` and `plugins.deny`. */
export const KNOWN_PLUGIN_IDS: readonly string[] = [...KNOWN_CHANNEL_IDS, 'memory-core', 'memory-lancedb']

/** Upstream top-level sections that are accepted with any value and otherwise ignored. */
export const UNSUPPORTED_SECTIONS = [
  'browser',
  'web',
  'skills',
  'talk',
  'ui',
  'diagnostics',
  'update',
  'wizard',
  'discovery',
  'canvasHost',
  'approvals',
  'audio',
  'media',
  'broadcast',
  'nodeHost',
  'tts',
] as const

/** Legacy top-level channel keys that now live under `channels.*`. */
export const LEGACY_CHANNEL_KEYS: readonly string[] = [
  'discord',
  'telegram',
  'whatsapp',
  'slack',
  'signal',
  'imessage',
  'msteams',
]
