import { describe, expect, it } from 'vitest'
import { parseConfigText } from '../../src/config/load-config.js'
import { hashConfigText } from '../../src/control/config-snapshot.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { controlUiConnectParams } from '../helpers/ws-client.js'
import { surface } from './control-surface-harness.js'
import { deepChain, Fuzz, fuzzSeed, NASTY_KEYS, rssMiB } from './fuzz-random.js'

const INCLUDES = ['./inc.json5', './missing.json5', './bad.json5', '../etc/passwd', '/etc/passwd', '/dev/zero', './inc.json5', ['./inc.json5', './bad.json5']]

/** A config near a real one, with one or more hostile changes. */
function configEdit(fuzz: Fuzz): unknown {
  const config: Record<string, unknown> = {
    gateway: { mode: 'local', ...(fuzz.chance(0.2) ? { auth: { token: fuzz.chance(0.5) ? TEST_TOKEN : '${GATEWAY_TOKEN_VAR}' } } : {}) },
    agents: { list: [{ id: 'main' }, { id: 'ops', ...(fuzz.chance(0.3) ? { name: fuzz.string() } : {}) }] },
  }
  for (let count = 1 + fuzz.int(3); count > 0; count -= 1) {
    switch (fuzz.int(8)) {
      case 0:
        config[fuzz.pick(['gateway', 'agents', 'channels', 'models'])] = { $include: fuzz.pick(INCLUDES) }
        break
      case 1:
        config.agents = { ...(config.agents as object), defaults: { model: { primary: fuzz.pick(['openai/${OPENAI_API_KEY}', 'anthropic/claude-opus-4-5', '${NOPE}', fuzz.string()]) } } }
        break
      case 2:
        Object.defineProperty(config, fuzz.pick(NASTY_KEYS), { value: fuzz.value(2), enumerable: true, configurable: true, writable: true })
        break
      case 3:
        config.deep = deepChain(fuzz.pick([10, 65, 200, 2_000]))
        break
      case 4:
        config.messages = { responsePrefix: fuzz.chance(0.2) ? 'p'.repeat(fuzz.pick([10_000, 300_000])) : fuzz.string() }
        break
      case 5:
        config[fuzz.word()] = fuzz.value(3)
        break
      case 6:
        ;((config.agents as { list?: unknown[] }).list ?? []).push({ id: fuzz.string(), ...fuzz.object(1, ['name', 'identity', 'model', 'workspace', 'default']) })
        break
      default:
        config.session = fuzz.object(2, ['scope', 'mainKey', 'resetTriggers', 'reset'])
    }
  }
  return config
}

describe('fuzz: config edits over the control socket', () => {
  it('10,000 config.set/patch/apply edits: rejected ones change nothing, accepted ones load, no internal errors', { timeout: 240_000 }, async () => {
    const fuzz = new Fuzz(fuzzSeed(20_260))
    const { open, deps, files, records } = await surface()
    deps.env.OPENAI_API_KEY = 'sk-fuzz-openai-key-0123456789'
    deps.env.GATEWAY_TOKEN_VAR = TEST_TOKEN
    files['/state/inc.json5'] = '{ mode: "local" }'
    files['/state/bad.json5'] = '{ oops'
    files['/etc/passwd'] = 'root:x:0:0'
    const io = { readText: async (path: string) => files[path], env: { ...deps.env }, homeDir: '/home/test' }
    const { socket, session } = open()
    await session.receive(JSON.stringify({ type: 'req', id: 'c', method: 'connect', params: controlUiConnectParams({ token: TEST_TOKEN }) }))
    const startRss = rssMiB()
    let accepted = 0
    for (let index = 0; index < 10_000; index += 1) {
      const before = files[deps.state.configPath]!
      const method = fuzz.pick(['config.set', 'config.patch', 'config.apply'])
      const edit = configEdit(fuzz)
      const pretty = fuzz.chance(0.05) ? fuzz.string() : JSON.stringify(edit, null, fuzz.chance(0.5) ? 2 : undefined)
      // Frames past the 8 MiB transport cap only test the cap (a 1009 close, covered elsewhere); keep them compact.
      const raw = pretty.length > 4 * 1024 * 1024 ? JSON.stringify(edit) : pretty
      const baseHash = fuzz.chance(0.97) ? await hashConfigText(before) : 'stale'
      const sent = socket.frames.length
      await session.receive(JSON.stringify({ type: 'req', id: `e${index}`, method, params: { raw, baseHash } }))
      const reply = socket.frames.slice(sent).map((text) => JSON.parse(text)).find((frame) => frame.id === `e${index}`)
      const label = `case ${index} (seed ${fuzz.seed}) ${method}: ${raw.slice(0, 200)}`
      expect(reply, label).toBeDefined()
      if (!reply.ok) {
        expect(reply.error.code, label).toBe('INVALID_REQUEST')
        expect(files[deps.state.configPath], label).toBe(before)
        continue
      }
      accepted += 1
      const loaded = await parseConfigText(files[deps.state.configPath]!, deps.state.configPath, io)
      expect(loaded.ok, label).toBe(true)
      expect(JSON.stringify(socket.frames.slice(sent))).not.toContain(deps.env.OPENAI_API_KEY)
      // Start the next case from a plain config again, so later cases keep testing edits, not the fuzz's own state.
      files[deps.state.configPath] = '{ agents: { list: [{ id: "main" }, { id: "ops" }] } }\n'
    }
    expect(accepted).toBeGreaterThan(500)
    expect(records.filter((record) => record.level === 'error').map((record) => record.message)).toEqual([])
    expect(rssMiB() - startRss).toBeLessThan(400)
  })
})
