import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { discordAllowFromKey } from '../storage/keys.js'
import { approvePairing, MAX_PENDING_PAIRINGS, PAIRING_TTL_MS, readPairedUserIds, upsertPairingRequest } from './pairing-store.js'

const NOW = 1_800_000_000_000

describe('pairing store', () => {
  it('creates an 8-character code once and refreshes it afterwards', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const first = await upsertPairingRequest(storage, 'u1', NOW)
    expect(first?.created).toBe(true)
    expect(first?.code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/)
    expect(await upsertPairingRequest(storage, 'u1', NOW + 1000)).toEqual({ code: first?.code, created: false })
  })

  it('keeps at most three pending requests, and expires them after an hour', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    for (let index = 0; index < MAX_PENDING_PAIRINGS; index += 1) await upsertPairingRequest(storage, `u${index}`, NOW)
    expect(await upsertPairingRequest(storage, 'late', NOW)).toBeUndefined()
    expect((await upsertPairingRequest(storage, 'late', NOW + PAIRING_TTL_MS))?.created).toBe(true)
  })

  it('approves a code into discord-allowFrom.json, once', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const pairing = await upsertPairingRequest(storage, 'u1', NOW)
    expect(await approvePairing(storage, pairing?.code ?? '', NOW)).toEqual({ ok: true, userId: 'u1' })
    expect(await storage.getItem(discordAllowFromKey())).toEqual({ version: 1, allowFrom: ['u1'] })
    expect(await readPairedUserIds(storage)).toEqual(['u1'])
    expect(await approvePairing(storage, pairing?.code ?? '', NOW)).toEqual({ ok: false, reason: 'unknown_code' })
  })

  it('refuses an expired code', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const pairing = await upsertPairingRequest(storage, 'u1', NOW)
    expect(await approvePairing(storage, pairing?.code ?? '', NOW + PAIRING_TTL_MS)).toEqual({ ok: false, reason: 'unknown_code' })
  })
})
