import { describe, expect, it } from 'vitest'
import { diffConfigPaths, planReload } from './reload-plan.js'

describe('diffConfigPaths', () => {
  it('returns sorted dot paths of changed, added and removed values', () => {
    const previous = { gateway: { port: 1, auth: { token: 'a' } }, bindings: [1], meta: { at: 'x' } }
    const next = { gateway: { port: 2, auth: { token: 'a' } }, bindings: [1, 2], logging: { level: 'info' } }
    expect(diffConfigPaths(previous, next)).toEqual(['bindings', 'gateway.port', 'logging', 'meta'])
  })

  it('compares arrays whole and reports nothing for deep-equal configs', () => {
    expect(diffConfigPaths({ a: [{ b: 1 }] }, { a: [{ b: 1 }] })).toEqual([])
    expect(diffConfigPaths({ a: [{ b: 1 }] }, { a: [{ b: 2 }] })).toEqual(['a'])
  })
})

describe('planReload', () => {
  it('treats no-op prefixes and meta (DEVIATION) as nothing to do', () => {
    const plan = planReload(['agents.list', 'gateway.reload.mode', 'gateway.remote.url', 'messages.queue', 'meta.lastTouchedAt'], 'hybrid')
    expect(plan).toEqual({ kind: 'none', restartPaths: [], hotPaths: [], channelRestarts: [] })
  })

  it('hot-reloads heartbeat and Discord changes, restarting the Discord channel', () => {
    expect(planReload(['agents.defaults.heartbeat.every', 'channels.discord.guilds'], 'hybrid')).toEqual({
      kind: 'hot',
      restartPaths: [],
      hotPaths: ['agents.defaults.heartbeat.every', 'channels.discord.guilds'],
      channelRestarts: ['discord'],
    })
  })

  it('restarts for gateway, plugins and unmatched paths in hybrid mode', () => {
    for (const path of ['gateway.port', 'plugins.entries.discord', 'discovery', 'canvasHost.port', 'env.FOO', 'commands.native']) {
      expect(planReload([path], 'hybrid').kind).toBe('restart')
    }
    expect(planReload(['gateway.port', 'channels.discord.token'], 'hybrid')).toMatchObject({
      kind: 'restart',
      restartPaths: ['gateway.port'],
      hotPaths: ['channels.discord.token'],
    })
  })

  it('never restarts in hot mode but still reports the restart paths', () => {
    expect(planReload(['gateway.port'], 'hot')).toEqual({
      kind: 'none',
      restartPaths: ['gateway.port'],
      hotPaths: [],
      channelRestarts: [],
    })
    expect(planReload(['gateway.port', 'cron.jobs'], 'hot').kind).toBe('hot')
  })

  it('restarts on any real change in restart mode, but not for a meta stamp alone', () => {
    expect(planReload(['logging.level'], 'restart').kind).toBe('restart')
    expect(planReload(['meta.lastTouchedAt'], 'restart').kind).toBe('none')
    expect(planReload([], 'restart').kind).toBe('none')
  })

  it('does nothing when reload is off', () => {
    expect(planReload(['gateway.port', 'channels.discord'], 'off')).toMatchObject({ kind: 'none', restartPaths: ['gateway.port'] })
  })

  it('ignores changes to channels this gateway does not run, and lets channel defaults restart Discord', () => {
    expect(planReload(['channels.slack.botToken'], 'hybrid').kind).toBe('none')
    expect(planReload(['channels.defaults.groupPolicy'], 'hybrid')).toMatchObject({ kind: 'hot', channelRestarts: ['discord'] })
  })

  it('matches whole path segments only', () => {
    expect(planReload(['agentsExtra'], 'hybrid').kind).toBe('restart')
  })
})
