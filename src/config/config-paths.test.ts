import { describe, expect, it } from 'vitest'
import { resolveConfigPath, resolveStateDir } from './config-paths.js'

const HOME = '/home/node'
const existing = (...paths: string[]) => (path: string) => paths.includes(path)

describe('resolveStateDir', () => {
  it('prefers MOLTBOT_STATE_DIR over CLAWDBOT_STATE_DIR and expands ~', () => {
    expect(resolveStateDir({ MOLTBOT_STATE_DIR: '~/m', CLAWDBOT_STATE_DIR: '/data' }, HOME, existing())).toBe('/home/node/m')
    expect(resolveStateDir({ MOLTBOT_STATE_DIR: ' ', CLAWDBOT_STATE_DIR: '/data' }, HOME, existing())).toBe('/data')
  })

  it('uses ~/.clawdbot-dev for the dev profile', () => {
    expect(resolveStateDir({ CLAWDBOT_PROFILE: 'dev' }, HOME, existing())).toBe('/home/node/.clawdbot-dev')
  })

  it('defaults to ~/.clawdbot, or ~/.moltbot when only that exists', () => {
    expect(resolveStateDir({}, HOME, existing())).toBe('/home/node/.clawdbot')
    expect(resolveStateDir({}, HOME, existing('/home/node/.moltbot'))).toBe('/home/node/.moltbot')
    expect(resolveStateDir({}, HOME, existing('/home/node/.moltbot', '/home/node/.clawdbot'))).toBe('/home/node/.clawdbot')
  })
})

describe('resolveConfigPath', () => {
  it('uses an explicit path as-is, MOLTBOT_ first', () => {
    const env = { MOLTBOT_CONFIG_PATH: '/etc/m.json', CLAWDBOT_CONFIG_PATH: '/etc/c.json' }
    expect(resolveConfigPath(env, HOME, '/data', existing())).toEqual({ path: '/etc/m.json', explicit: true })
    expect(resolveConfigPath({ CLAWDBOT_CONFIG_PATH: '/etc/c.json' }, HOME, '/data', existing())).toEqual({
      path: '/etc/c.json',
      explicit: true,
    })
  })

  it('reads clawdbot.json from the state dir when moltbot.json is absent (the Fly layout)', () => {
    const env = { CLAWDBOT_STATE_DIR: '/data' }
    expect(resolveConfigPath(env, HOME, '/data', existing('/data/clawdbot.json'))).toEqual({
      path: '/data/clawdbot.json',
      explicit: false,
    })
    expect(resolveConfigPath(env, HOME, '/data', existing('/data/clawdbot.json', '/data/moltbot.json')).path).toBe(
      '/data/moltbot.json',
    )
  })

  it('searches the env state dirs before the home candidates, in spec order', () => {
    const env = { MOLTBOT_STATE_DIR: '/m', CLAWDBOT_STATE_DIR: '/c' }
    const all = existing('/c/moltbot.json', '/home/node/.moltbot/clawdbot.json', '/home/node/.clawdbot/moltbot.json')
    expect(resolveConfigPath(env, HOME, '/m', all).path).toBe('/c/moltbot.json')
    expect(resolveConfigPath({}, HOME, '/home/node/.clawdbot', all).path).toBe('/home/node/.moltbot/clawdbot.json')
  })

  it('falls back to <stateDir>/clawdbot.json, the name the README tells users to create, when nothing exists', () => {
    expect(resolveConfigPath({}, HOME, '/data', existing())).toEqual({ path: '/data/clawdbot.json', explicit: false })
  })
})
