import { CLI_COMMAND } from '../cli/command-name.js'
import type { Storage } from 'unstorage'
import { z } from 'zod'
import { discordAllowFromKey, discordPairingKey } from '../storage/keys.js'

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

/** User ids approved through pairing (`credentials/discord-allowFrom.json`); empty when the file is missing or unreadable. */
export async function readPairedUserIds(storage: Storage): Promise<string[]> {
  const parsed = AllowFromFileSchema.safeParse(await storage.getItem(discordAllowFromKey()))
  return parsed.success ? parsed.data.allowFrom : []
}

/**
 * Creates or refreshes the pairing request of a DM sender. Returns the code and whether it is new; `undefined` when
 * three other requests are already pending (upstream then stays silent).
 * @see spec/discord.md §6.1 step 2
 */
export async function upsertPairingRequest(
  storage: Storage,
  userId: string,
  now: number,
  meta: Record<string, unknown> = {},
): Promise<{ code: string; created: boolean } | undefined> {
  const requests = liveRequests(await readRequests(storage), now)
  const existing = requests.find((request) => request.id === userId)
  if (existing !== undefined) {
    existing.lastSeenAt = new Date(now).toISOString()
    await writeRequests(storage, requests)
    return { code: existing.code, created: false }
  }
  if (requests.length >= MAX_PENDING_PAIRINGS) return undefined
  const taken = new Set(requests.map((request) => request.code))
  let code = randomCode()
  while (taken.has(code)) code = randomCode()
  const at = new Date(now).toISOString()
  requests.push({ id: userId, code, createdAt: at, lastSeenAt: at, meta })
  await writeRequests(storage, requests)
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
): Promise<{ ok: true; userId: string } | { ok: false; reason: 'unknown_code' }> {
  const wanted = code.trim().toUpperCase()
  const requests = liveRequests(await readRequests(storage), now)
  const match = requests.find((request) => request.code.toUpperCase() === wanted)
  if (match === undefined || wanted === '') return { ok: false, reason: 'unknown_code' }
  const allowFrom = await readPairedUserIds(storage)
  if (!allowFrom.includes(match.id)) allowFrom.push(match.id)
  await storage.setItem(discordAllowFromKey(), { version: 1, allowFrom })
  await writeRequests(storage, requests.filter((request) => request !== match))
  return { ok: true, userId: match.id }
}

/** Upstream's reply to an unpaired DM sender, naming this gateway's own approve command (upstream's is `moltbot …`). */
export function pairingReply(userId: string, code: string): string {
  return [
    'Moltbot: access not configured.',
    '',
    `Your Discord user id: ${userId}`,
    '',
    `Pairing code: ${code}`,
    '',
    'Ask the bot owner to approve with:',
    `${CLI_COMMAND} pairing approve discord ${code}`,
  ].join('\n')
}

async function readRequests(storage: Storage): Promise<PairingRequest[]> {
  const parsed = PairingFileSchema.safeParse(await storage.getItem(discordPairingKey()))
  return parsed.success ? parsed.data.requests : []
}

async function writeRequests(storage: Storage, requests: PairingRequest[]): Promise<void> {
  await storage.setItem(discordPairingKey(), { version: 1, requests })
}

function liveRequests(requests: PairingRequest[], now: number): PairingRequest[] {
  return requests.filter((request) => now - Date.parse(request.createdAt) < PAIRING_TTL_MS)
}

function randomCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH))
  // 32 symbols divide 256 evenly, so the modulo adds no bias.
  return Array.from(bytes, (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join('')
}
