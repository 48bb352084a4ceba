import { describe, expect, it } from 'vitest'
import { createHarness, dmCommand, guildCommand } from '../discord/discord-harness.js'
import { createInteractionKeys, signInteraction } from '../helpers/sign-interaction.js'
import { Fuzz, fuzzSeed, rssMiB } from './fuzz-random.js'

const FIELDS = ['type', 'data', 'guild_id', 'channel_id', 'channel', 'member', 'user', 'message', 'token', 'id', 'application_id', 'version', 'context']

/** A payload near a real one: a real command, a ping or noise, with fields replaced by fuzz. */
function payload(fuzz: Fuzz): unknown {
  const roll = fuzz.int(10)
  if (roll === 0) return fuzz.value(3)
  const base: Record<string, unknown> =
    roll < 4 ? { type: 1 } : roll < 7 ? dmCommand(fuzz.pick(['ask', 'new', 'model', 'stop', 'status', fuzz.word()]), [{ name: 'prompt', type: 3, value: fuzz.string() }]) : guildCommand(fuzz.pick(['ask', 'help', fuzz.word()]))
  const mutated: Record<string, unknown> = { id: String(1e17 + fuzz.int(1e9)), application_id: '800000000000000001', token: `t${fuzz.int(1e6)}`, version: 1, ...base }
  for (let count = fuzz.int(3); count > 0; count -= 1) mutated[fuzz.pick(FIELDS)] = fuzz.value(2)
  return mutated
}

describe('fuzz: Discord interactions', () => {
  it('10,000 signed and unsigned interactions: unsigned never pass, nothing answers 5xx', { timeout: 180_000 }, async () => {
    const fuzz = new Fuzz(fuzzSeed(31_337))
    const harness = await createHarness()
    const stranger = await createInteractionKeys()
    const statuses = new Map<number, number>()
    const startRss = rssMiB()
    try {
      for (let index = 0; index < 10_000; index += 1) {
        const body = fuzz.chance(0.05) ? fuzz.string() : JSON.stringify(payload(fuzz))
        const now = harness.deps.now() / 1000
        const kind = fuzz.int(6)
        let init: RequestInit
        if (kind <= 2) init = await signInteraction(harness.keys, undefined, { timestamp: now, body })
        else if (kind === 3) init = await signInteraction(stranger, undefined, { timestamp: now, body })
        else if (kind === 4) init = await signInteraction(harness.keys, undefined, { timestamp: now - 301 - fuzz.int(1e6), body })
        else {
          const headers: Record<string, string> = { 'content-type': 'application/json' }
          if (fuzz.chance(0.5)) headers['x-signature-ed25519'] = fuzz.chance(0.5) ? 'ab'.repeat(64) : ascii(fuzz.string()).slice(0, 200)
          if (fuzz.chance(0.5)) headers['x-signature-timestamp'] = fuzz.chance(0.5) ? String(Math.floor(now)) : ascii(fuzz.string()).slice(0, 200)
          init = { method: 'POST', headers, body }
        }
        const response = await harness.app.request('/discord/interactions', init)
        await response.arrayBuffer()
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
        expect(response.status, `case ${index} (seed ${fuzz.seed}, kind ${kind}): ${body.slice(0, 200)}`).toBeLessThan(500)
        if (kind >= 3) expect(response.status, `case ${index}: unsigned or stale accepted`).toBe(401)
      }
      expect(statuses.get(200) ?? 0).toBeGreaterThan(1_000)
      expect(statuses.get(401) ?? 0).toBeGreaterThan(4_000)
      expect(rssMiB() - startRss).toBeLessThan(400)
      expect(harness.records.filter((record) => record.level === 'error').map((record) => record.message)).toEqual([])
    } finally {
      await harness.close()
    }
  })
})

// Header values are byte strings; a client cannot send other characters.
function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?')
}
