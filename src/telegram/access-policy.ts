import type { TelegramAccountConfig } from '../config/schema-telegram.js'
import type { ResolvedTelegramAccount } from './resolve-telegram-account.js'

type GroupEntry = NonNullable<NonNullable<TelegramAccountConfig['groups']>[string]>
type TopicEntry = NonNullable<NonNullable<GroupEntry['topics']>[string]>
type IdList = ReadonlyArray<string | number>

/** A sender as allowlists see them. */
export interface TelegramSender {
  id: string
  username?: string
}

/** Where a group message was written. */
export interface GroupPlace {
  chatId: string
  /** Forum topic (General = "1"); undefined outside forums. */
  threadId?: string
}

/** Why a message is not handled; native commands turn some of these into replies. */
export type TelegramRefusal =
  | 'dm-disabled'
  | 'dm-not-allowed'
  | 'dm-pairing'
  | 'group-disabled'
  | 'topic-disabled'
  | 'sender-not-allowed'
  | 'group-policy-disabled'
  | 'no-group-allowlist'
  | 'group-not-allowed'

/** An allowed group message with its config entries and the sender list its commands are checked against. */
export interface GroupAccess {
  allowed: true
  groupEntry?: GroupEntry
  topicEntry?: TopicEntry
  /** The effective group sender list (override ?? groupAllowFrom ?? allowFrom) ∪ paired users. */
  senderList: string[]
}

/**
 * Whether a sender matches an allowlist: entries are trimmed, lose a `telegram:`/`tg:` prefix, `*` matches anyone,
 * digits match the user id exactly, anything else the username case-insensitively with or without `@`.
 * @see spec/telegram.md §2.1
 */
export function matchesAllowList(list: IdList, sender: TelegramSender): boolean {
  const username = sender.username?.toLowerCase()
  return list.some((raw) => {
    const entry = normalizeEntry(raw)
    if (entry === '*') return true
    if (/^-?\d+$/.test(entry)) return entry === sender.id
    return username !== undefined && entry.replace(/^@/, '').toLowerCase() === username
  })
}

/** Allowlist entries as stored: trimmed, prefix dropped, empty entries removed. */
export function normalizeList(list: IdList | undefined): string[] {
  return (list ?? []).map(normalizeEntry).filter((entry) => entry !== '')
}

/**
 * DM access (chat id = user id): `disabled` drops, `open` allows, otherwise `allowFrom` ∪ paired users must match;
 * a miss under `pairing` asks for a pairing code.
 * @see spec/telegram.md §2.5
 */
export function checkDm(account: ResolvedTelegramAccount, sender: TelegramSender, paired: readonly string[]): { allowed: true } | { allowed: false; reason: TelegramRefusal } {
  if (account.dmPolicy === 'disabled') return { allowed: false, reason: 'dm-disabled' }
  if (account.dmPolicy === 'open') return { allowed: true }
  if (matchesAllowList([...normalizeList(account.settings.allowFrom), ...paired], sender)) return { allowed: true }
  return { allowed: false, reason: account.dmPolicy === 'pairing' ? 'dm-pairing' : 'dm-not-allowed' }
}

/**
 * Group access in upstream's order (spec/telegram.md §2.2 steps 2–6): the group/topic entry, `enabled:false`, the
 * per-group/topic sender override, `groupPolicy` with its sender list, then the `groups` chat allowlist.
 */
export function checkGroup(
  account: ResolvedTelegramAccount,
  place: GroupPlace,
  sender: TelegramSender | undefined,
  paired: readonly string[],
): GroupAccess | { allowed: false; reason: TelegramRefusal } {
  const groups = account.settings.groups ?? {}
  const groupEntry = groups[place.chatId] ?? groups['*']
  const topicEntry = place.threadId === undefined ? undefined : groupEntry?.topics?.[place.threadId]
  if (groupEntry?.enabled === false) return { allowed: false, reason: 'group-disabled' }
  if (topicEntry?.enabled === false) return { allowed: false, reason: 'topic-disabled' }
  const override = topicEntry?.allowFrom ?? groupEntry?.allowFrom
  if (override !== undefined) {
    const list = [...normalizeList(override), ...paired]
    if (sender === undefined || (list.length > 0 && !matchesAllowList(list, sender))) return { allowed: false, reason: 'sender-not-allowed' }
  }
  const allowFrom = normalizeList(account.settings.allowFrom)
  const base = override ?? account.settings.groupAllowFrom ?? (allowFrom.length > 0 ? allowFrom : undefined)
  const senderList = [...normalizeList(base), ...paired]
  if (account.groupPolicy === 'disabled') return { allowed: false, reason: 'group-policy-disabled' }
  if (account.groupPolicy === 'allowlist') {
    if (sender === undefined || senderList.length === 0) return { allowed: false, reason: 'no-group-allowlist' }
    if (!matchesAllowList(senderList, sender)) return { allowed: false, reason: 'sender-not-allowed' }
  }
  if (Object.keys(groups).length > 0 && groups[place.chatId] === undefined && groups['*'] === undefined) {
    return { allowed: false, reason: 'group-not-allowed' }
  }
  return { allowed: true, groupEntry, topicEntry, senderList }
}

/**
 * `CommandAuthorized` for text commands: with `commands.useAccessGroups` (default) the list must have entries and
 * match; without it everyone is authorized.
 * @see spec/telegram.md §2.4
 */
export function isCommandAuthorized(list: readonly string[], sender: TelegramSender, useAccessGroups: boolean): boolean {
  if (!useAccessGroups) return true
  return list.length > 0 && matchesAllowList(list, sender)
}

/**
 * The owner check of native command handlers: `allowFrom` ∪ paired users, even in groups; with
 * `useAccessGroups:false` an empty list allows everyone.
 */
export function isOwner(account: ResolvedTelegramAccount, sender: TelegramSender, paired: readonly string[], useAccessGroups: boolean): boolean {
  const list = [...normalizeList(account.settings.allowFrom), ...paired]
  if (!useAccessGroups && list.length === 0) return true
  return list.length > 0 && matchesAllowList(list, sender)
}

/** Upstream's replies of native command handlers (spec/telegram.md §2.4). */
export const NATIVE_REFUSAL_TEXT = {
  groupDisabled: 'This group is disabled.',
  topicDisabled: 'This topic is disabled.',
  notAuthorized: 'You are not authorized to use this command.',
  groupCommandsDisabled: 'Telegram group commands are disabled.',
  groupNotAllowed: 'This group is not allowed.',
} as const

/** The reply a native command gets for a group refusal. */
export function nativeRefusalText(reason: TelegramRefusal): string {
  if (reason === 'group-disabled') return NATIVE_REFUSAL_TEXT.groupDisabled
  if (reason === 'topic-disabled') return NATIVE_REFUSAL_TEXT.topicDisabled
  if (reason === 'group-policy-disabled') return NATIVE_REFUSAL_TEXT.groupCommandsDisabled
  if (reason === 'group-not-allowed') return NATIVE_REFUSAL_TEXT.groupNotAllowed
  return NATIVE_REFUSAL_TEXT.notAuthorized
}

function normalizeEntry(raw: string | number): string {
  return String(raw).trim().replace(/^(telegram|tg):/i, '').trim()
}
