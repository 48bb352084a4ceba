/*
 * Numeric constants of the Discord HTTP API that this channel uses, named once so handlers read as prose.
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding
 */

/** Interaction types Discord POSTs to the endpoint. */
export const InteractionKind = {
  ping: 1,
  command: 2,
  component: 3,
  autocomplete: 4,
  modalSubmit: 5,
} as const

/** Initial response types we answer with. */
export const ResponseKind = {
  pong: 1,
  message: 4,
  deferredMessage: 5,
  deferredUpdate: 6,
  updateMessage: 7,
  autocompleteResult: 8,
  modal: 9,
} as const

/** Message flag that shows a reply only to the invoking user; the only flag a deferred response may carry. */
export const EPHEMERAL_FLAG = 64

/** Application command types. */
export const CommandKind = { chatInput: 1, user: 2, message: 3 } as const

/** Application command option types. */
export const OptionKind = { string: 3, integer: 4, boolean: 5, attachment: 11 } as const

/** Where a command may be used (`contexts`): a guild, the bot's DM, other DMs and group DMs. */
export const InteractionContextKind = { guild: 0, botDm: 1, privateChannel: 2 } as const

/** How the app was installed (`integration_types`). */
export const IntegrationKind = { guildInstall: 0, userInstall: 1 } as const

/** Channel types that matter for access rules. */
export const ChannelKind = {
  guildText: 0,
  dm: 1,
  groupDm: 3,
  announcementThread: 10,
  publicThread: 11,
  privateThread: 12,
} as const

/** Component types used in messages and modals. */
export const ComponentKind = { actionRow: 1, button: 2, textInput: 4 } as const

/** `allowed_mentions` for every message we send: model output must never ping anyone. */
export const NO_MENTIONS = { parse: [] as string[] }

/** Discord's hard limit on `content`. */
export const MAX_CONTENT_LENGTH = 2000

/** Interaction tokens expire after 15 minutes. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000

/** User-install-only interactions may send at most this many follow-ups. */
export const USER_INSTALL_FOLLOW_UP_LIMIT = 5

/** The REST base used when `DISCORD_API_BASE_URL` is not set. */
export const DEFAULT_API_BASE_URL = 'https://discord.com/api/v10'
