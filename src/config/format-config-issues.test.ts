import { describe, expect, it } from 'vitest'
import { formatConfigInvalid, formatIssue, formatReloadSkipped } from './format-config-issues.js'

describe('formatIssue', () => {
  it('prints the path, or <root> for the top level', () => {
    expect(formatIssue({ path: 'gateway.bind', message: 'Invalid input' })).toBe('- gateway.bind: Invalid input')
    expect(formatIssue({ path: '', message: 'Unrecognized key: "x"' })).toBe('- <root>: Unrecognized key: "x"')
  })
})

describe('formatConfigInvalid', () => {
  it('prints the §2.1 block without a legacy section when there are no legacy keys', () => {
    const result = { issues: [{ path: 'gateway', message: 'Unrecognized key: "customBindHost"' }], legacy: [] }
    expect(formatConfigInvalid(result, '~/.clawdbot/moltbot.json')).toBe(
      'Config invalid\nFile: ~/.clawdbot/moltbot.json\nProblem:\n  - gateway: Unrecognized key: "customBindHost"\n\nRun: node dist/index.js doctor',
    )
  })

  it('lists legacy keys in their own section and once in the problem list', () => {
    const legacy = [{ path: 'agent', message: 'agent.* was moved; use agents.defaults instead (auto-migrated on load).' }]
    const text = formatConfigInvalid({ issues: [...legacy, { path: 'gateway.port', message: 'bad' }], legacy }, '/data/moltbot.json')
    expect(text.split('\n')).toEqual([
      'Config invalid',
      'File: /data/moltbot.json',
      'Problem:',
      '  - agent: agent.* was moved; use agents.defaults instead (auto-migrated on load).',
      '  - gateway.port: bad',
      'Legacy config keys detected:',
      '  - agent: agent.* was moved; use agents.defaults instead (auto-migrated on load).',
      '',
      'Run: node dist/index.js doctor --fix',
    ])
  })
})

describe('formatReloadSkipped', () => {
  it('joins the issues after the path', () => {
    const issues = [
      { path: 'gateway.bind', message: 'Invalid input' },
      { path: '', message: 'Unrecognized key: "x"' },
    ]
    expect(formatReloadSkipped('/data/moltbot.json', issues)).toBe(
      'config reload skipped (invalid config): /data/moltbot.json: gateway.bind: Invalid input, <root>: Unrecognized key: "x"',
    )
  })
})
