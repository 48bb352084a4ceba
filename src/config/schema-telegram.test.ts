import { describe, expect, it } from 'vitest'
import { toConfigIssues } from './config-issue.js'
import { ConfigSchema } from './schema.js'

function issuesOf(input: unknown) {
  const result = ConfigSchema.safeParse(input)
  return result.success ? [] : toConfigIssues(result.error)
}

describe('channels.telegram schema', () => {
  it('accepts every upstream key, multi-account form and the later webhookPort/webhookHost', () => {
    const account = {
      enabled: true,
      name: 'Main',
      botToken: '123:abc',
      tokenFile: '~/tg-token',
      dmPolicy: 'allowlist',
      allowFrom: ['42', 7, '@ann'],
      groupPolicy: 'allowlist',
      groupAllowFrom: ['42'],
      groups: { '-1001': { requireMention: false, tools: { allow: ['x'] }, skills: [], enabled: true, allowFrom: ['1'], systemPrompt: 'Be brief.', topics: { '9': { requireMention: true, skills: ['a'], enabled: true, allowFrom: [], systemPrompt: 'Topic.' } } } },
      replyToMode: 'all',
      historyLimit: 10,
      dmHistoryLimit: 5,
      dms: { '42': { historyLimit: 3 } },
      textChunkLimit: 3000,
      chunkMode: 'newline',
      blockStreaming: true,
      blockStreamingCoalesce: { minChars: 10, maxChars: 100, idleMs: 200 },
      streamMode: 'block',
      draftChunk: { minChars: 200, maxChars: 800, breakPreference: 'sentence' },
      mediaMaxMb: 10,
      timeoutSeconds: 30,
      retry: { attempts: 4, minDelayMs: 100, maxDelayMs: 1000, jitter: 0.2 },
      proxy: 'socks5://proxy:1080',
      webhookUrl: 'https://app.fly.dev/telegram-webhook',
      webhookSecret: 's3cr3t_-',
      webhookPath: '/telegram-webhook',
      webhookPort: 8787,
      webhookHost: '0.0.0.0',
      commands: { native: 'auto', nativeSkills: false },
      customCommands: [{ command: 'backup', description: 'Run a backup' }],
      configWrites: false,
      capabilities: { inlineButtons: 'dm' },
      markdown: { tables: 'bullets' },
      actions: { reactions: true, sendMessage: true, deleteMessage: false },
      reactionNotifications: 'all',
      reactionLevel: 'extensive',
      linkPreview: false,
      heartbeat: { showOk: true, showAlerts: true, useIndicator: false },
    }
    expect(issuesOf({ channels: { telegram: { ...account, accounts: { work: account } } } })).toEqual([])
    expect(issuesOf({ channels: { telegram: { capabilities: ['inlineButtons'] } } })).toEqual([])
  })

  it('rejects unknown keys at every level, as upstream', () => {
    expect(issuesOf({ channels: { telegram: { token: 'x' } } })).toEqual([{ path: 'channels.telegram', message: 'Unrecognized key: "token"' }])
    expect(issuesOf({ channels: { telegram: { groups: { '-1': { topics: { '1': { tools: {} } } } } } } })).toEqual([
      { path: 'channels.telegram.groups.-1.topics.1', message: 'Unrecognized key: "tools"' },
    ])
  })

  it('requires "*" in allowFrom for dmPolicy "open", with upstream\'s text (base and account)', () => {
    expect(issuesOf({ channels: { telegram: { dmPolicy: 'open' } } })).toEqual([
      { path: 'channels.telegram.allowFrom', message: 'channels.telegram.dmPolicy="open" requires channels.telegram.allowFrom to include "*"' },
    ])
    expect(issuesOf({ channels: { telegram: { accounts: { work: { dmPolicy: 'open', allowFrom: ['42'] } } } } })).toEqual([
      {
        path: 'channels.telegram.accounts.work.allowFrom',
        message: 'channels.telegram.accounts.work.dmPolicy="open" requires channels.telegram.accounts.work.allowFrom to include "*"',
      },
    ])
    expect(issuesOf({ channels: { telegram: { dmPolicy: 'open', allowFrom: ['*'] } } })).toEqual([])
  })

  it('fills upstream\'s zod defaults into the base and every account', () => {
    const parsed = ConfigSchema.parse({ channels: { telegram: { accounts: { work: {} } } } })
    expect(parsed.channels?.telegram).toMatchObject({ dmPolicy: 'pairing', groupPolicy: 'allowlist', streamMode: 'partial' })
    expect(parsed.channels?.telegram?.accounts?.work).toMatchObject({ dmPolicy: 'pairing', groupPolicy: 'allowlist', streamMode: 'partial' })
  })

  it('checks custom menu commands at load with upstream\'s texts and paths', () => {
    expect(
      issuesOf({
        channels: {
          telegram: {
            customCommands: [
              { command: '/Backup', description: 'Run a backup' },
              { command: 'backup', description: 'Again' },
              { command: 'bad-name', description: 'x' },
              { command: ' ', description: 'x' },
              { command: 'nodesc', description: ' ' },
            ],
          },
        },
      }),
    ).toEqual([
      { path: 'channels.telegram.customCommands.1.command', message: 'Telegram custom command "/backup" is duplicated.' },
      { path: 'channels.telegram.customCommands.2.command', message: 'Telegram custom command "/bad-name" is invalid (use a-z, 0-9, underscore; max 32 chars).' },
      { path: 'channels.telegram.customCommands.3.command', message: 'Telegram custom command is missing a command name.' },
      { path: 'channels.telegram.customCommands.4.description', message: 'Telegram custom command "/nodesc" is missing a description.' },
    ])
  })
})
