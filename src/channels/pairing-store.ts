import { CLI_COMMAND } from '../cli/command-name.js'
import type { Storage } from 'unstorage'
import { z } from 'zod'
import { pairingAllowFromKey, pairingRequestsKey } from '../storage/keys.js'

/** Pairing codes last one hour (upstream). */
export const PAIRING_TTL_MS = 60 * 60_000
/** At most this many requests wait for approval; further senders get no code. */
export const MAX_PENDING_PAIRINGS = 3
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
const CODE_LENGTH = 8

const PairingRequestSchema = z.looseObject({
  id: z.string(),
  code: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
})
const PairingFileSchema = z.looseObject({ version: z.literal(1), requests: z.array(PairingRequestSchema) })
const AllowFromFileSchema = z.looseObject({ version: z.literal(1), allowFrom: z.array(z.string()) })

type PairingRequest = z.infer<typeof PairingRequestSchema>

/** The channels whose DM senders pair; each keeps its own request and allowlist files (upstream). */
export type PairingChannel = 'discord' | 'telegram'

/** Upstream's product and CLI words in pairing texts; the command stays `moltbot` so its docs still apply. */
export const PAIRING_PRODUCT = { name: 'Moltbot', command: 'moltbot' } as const

/** User ids approved through pairing (`credentials/<channel>-allowFrom.json`); empty when missing or unreadable. */
export async function readPairedUserIds(storage: Storage, channel: PairingChannel = 'discord'): Promise<string[]> {
  const parsed = AllowFromFileSchema.safeParse(await storage.getItem(pairingAllowFromKey(channel)))
  return parsed.success ? parsed.data.allowFrom : []
}

/**
 * Creates or refreshes the pairing request of a DM sender. Returns the code and whether it is new; `undefined` when
 * three other requests are already pending (upstream then stays silent).
 * @see spec/discord.md §6.1 step 2, spec/telegram.md §2.5
 */
export async function upsertPairingRequest(
  storage: Storage,
  userId: string,
  now: number,
  meta: Record<string, unknown> = {},
  channel: PairingChannel = 'discord',
): Promise<{ code: string; created: boolean } | undefined> {
  const requests = liveRequests(await readRequests(storage, channel), now)
  const existing = requests.find((request) => request.id === userId)
  if (existing !== undefined) {
    existing.lastSeenAt = new Date(now).toISOString()
    await writeRequests(storage, channel, requests)
    return { code: existing.code, created: false }
  }
  if (requests.length >= MAX_PENDING_PAIRINGS) return undefined
  const taken = new Set(requests.map((request) => request.code))
  let code = randomCode()
  while (taken.has(code)) code = randomCode()
  const at = new Date(now).toISOString()
  requests.push({ id: userId, code, createdAt: at, lastSeenAt: at, meta })
  await writeRequests(storage, channel, requests)
  return { code, created: true }
}

/**
 * Approves a pending pairing code: the sender moves from the request list to the DM allowlist. Codes are matched
 * case-insensitively; an expired or unknown code approves nobody. Exposed by the CLI and the HTTP API.
 */
export async function approvePairing(
  storage: Storage,
  code: string,
  now: number,
  channel: PairingChannel = 'discord',
): Promise<{ ok: true; userId: string } | { ok: false; reason: 'unknown_code' }> {
  const wanted = code.trim().toUpperCase()
  const requests = liveRequests(await readRequests(storage, channel), now)
  const match = requests.find((request) => request.code.toUpperCase() === wanted)
  if (match === undefined || wanted === '') return { ok: false, reason: 'unknown_code' }
  const allowFrom = await readPairedUserIds(storage, channel)
  if (!allowFrom.includes(match.id)) allowFrom.push(match.id)
  await storage.setItem(pairingAllowFromKey(channel), { version: 1, allowFrom })
  await writeRequests(storage, channel, requests.filter((request) => request !== match))
  return { ok: true, userId: match.id }
}

/**
 * Upstream's reply to an unpaired DM sender. Discord's last line carries the code; Telegram's literally says
 * `<code>`, as upstream prints it (spec/telegram.md §2.5).
 */
export function pairingReply(userId: string, code: string, channel: PairingChannel = 'discord'): string {
  const label = channel === 'discord' ? 'Discord' : 'Telegram'
  return [
    `${PAIRING_PRODUCT.name}: access not configured.`,
    '',
    `Your ${label} user id: ${userId}`,
    '',
    `Pairing code: ${code}`,
    '',
    'Ask the bot owner to approve with:',
    `${CLI_COMMAND} pairing approve ${channel} ${channel === 'discord' ? code : '<code>'}`,
  ].join('\n')
}

/** What an approved Telegram user is sent (upstream's text, product word from the shared constant). */
export function pairingApprovedText(): string {
  return `✅ ${PAIRING_PRODUCT.name} access approved. Send a message to start chatting.`
}

async function readRequests(storage: Storage, channel: PairingChannel): Promise<PairingRequest[]> {
  const parsed = PairingFileSchema.safeParse(await storage.getItem(pairingRequestsKey(channel)))
  return parsed.success ? parsed.data.requests : []
}

async function writeRequests(storage: Storage, channel: PairingChannel, requests: PairingRequest[]): Promise<void> {
  await storage.setItem(pairingRequestsKey(channel), { version: 1, requests })
}

function liveRequests(requests: PairingRequest[], now: number): PairingRequest[] {
  return requests.filter((request) => now - Date.parse(request.createdAt) < PAIRING_TTL_MS)
}

function randomCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH))
  // 32 symbols divide 256 evenly, so the modulo adds no bias.
  return Array.from(bytes, (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join('')
}
