import { parseConfigText, type ResolvedConfig } from '../../src/config/load-config.js'

/** A validated config (defaults applied) from a plain object, for tests; throws with the issues when invalid. */
export async function configOf(value: unknown): Promise<ResolvedConfig> {
  const loaded = await parseConfigText(JSON.stringify(value), '/data/clawdbot.json', {
    readText: async () => undefined,
    env: {},
    homeDir: '/home/test',
  })
  if (!loaded.ok) throw new Error(`test config invalid: ${JSON.stringify(loaded.issues)}`)
  return loaded.config
}
