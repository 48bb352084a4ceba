import { describe, expect, it } from 'vitest'
import { ConfigSchema } from '../config/schema.js'
import { listTelegramAccountIds, missingTokenText, resolveTelegramAccount, telegramSettings } from './resolve-telegram-account.js'
import { deriveWebhookSecret, resolveWebhookSettings, webhookPaths } from './webhook-settings.js'

const configOf = (value: unknown) => ConfigSchema.parse(value)
const files: Record<string, string> = { '/secrets/tg': ' 111:from-file \n' }
const readText = async (path: string) => files[path]

describe('Telegram accounts', () => {
  it('starts from TELEGRAM_BOT_TOKEN alone, with groupPolicy from the channel defaults (upstream trap)', async () => {
    const config = configOf({})
    expect(listTelegramAccountIds(config, {})).toEqual([])
    expect(listTelegramAccountIds(config, { TELEGRAM_BOT_TOKEN: '1:a' })).toEqual(['default'])
    const account = await resolveTelegramAccount(config, { TELEGRAM_BOT_TOKEN: '1:a' }, 'default', readText)
    expect(account).toMatchObject({ token: '1:a', tokenSource: 'env', groupPolicy: 'open', dmPolicy: 'pairing', hasConfigBlock: false })
  })

  it('takes the token in upstream order: tokenFile, botToken, then env only for default', async () => {
    const config = configOf({ channels: { telegram: { tokenFile: '/secrets/tg', botToken: '222:config', accounts: { work: { botToken: '333:work' }, bare: {} } } } })
    expect(await resolveTelegramAccount(config, { TELEGRAM_BOT_TOKEN: '9:env' }, 'default', readText)).toMatchObject({ token: '111:from-file', tokenSource: 'tokenFile' })
    expect(await resolveTelegramAccount(config, {}, 'work', readText)).toMatchObject({ token: '333:work', tokenSource: 'config' })
    expect(await resolveTelegramAccount(config, { TELEGRAM_BOT_TOKEN: '9:env' }, 'bare', readText)).toMatchObject({ token: undefined, tokenSource: 'none' })
    const missing = await resolveTelegramAccount(configOf({ channels: { telegram: { tokenFile: '/nope', botToken: '222:config' } } }), {}, 'default', readText)
    expect(missing).toMatchObject({ token: '222:config', tokenProblem: 'channels.telegram.tokenFile not found: /nope' })
    expect(missingTokenText('work')).toBe(
      'Telegram bot token missing for account "work" (set channels.telegram.accounts.work.botToken/tokenFile or TELEGRAM_BOT_TOKEN for default).',
    )
  })

  it('lists accounts from the accounts map and telegram bindings; account entries carry their zod defaults over the base', () => {
    const config = configOf({
      channels: { telegram: { dmPolicy: 'open', allowFrom: ['*'], accounts: { Work: {} } } },
      bindings: [{ agentId: 'main', match: { channel: 'telegram', accountId: 'alerts' } }],
    })
    expect(listTelegramAccountIds(config, {})).toEqual(['work', 'alerts'])
    expect(telegramSettings(config, 'work').dmPolicy).toBe('pairing')
    expect(telegramSettings(config, 'alerts').dmPolicy).toBe('open')
  })

  it('gives accounts sharing a webhook path their own sub-path', () => {
    const paths = webhookPaths([
      { accountId: 'default', settings: {} },
      { accountId: 'work', settings: {} },
      { accountId: 'own', settings: { webhookPath: 'own-hook' } },
    ])
    expect([...paths]).toEqual([['default', '/telegram-webhook'], ['work', '/telegram-webhook/work'], ['own', '/own-hook']])
  })

  it('derives a stable 43-character secret from the token, and refuses a secret Telegram would reject', async () => {
    const secret = await deriveWebhookSecret('1:a', 'default')
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(await deriveWebhookSecret('1:a', 'default')).toBe(secret)
    expect(await deriveWebhookSecret('1:b', 'default')).not.toBe(secret)
    const settings = await resolveWebhookSettings('default', { webhookSecret: 'has space' }, '/telegram-webhook', '1:a', { CLAWDBOT_PUBLIC_URL: 'https://a.test/' })
    expect(settings.url).toBe('https://a.test/telegram-webhook')
    expect(settings.secret).toBeUndefined()
    expect(settings.secretProblem).toContain('channels.telegram.webhookSecret must be 1-256 characters')
    const http = await resolveWebhookSettings('default', { webhookUrl: 'http://a.test/hook' }, '/telegram-webhook', '1:a', {})
    expect(http.urlProblem).toBe('telegram: webhook URL must use https (Telegram refuses http: URLs)')
    const port = await resolveWebhookSettings('default', { webhookUrl: 'https://a.test:3000/hook' }, '/telegram-webhook', '1:a', {})
    expect(port.urlProblem).toContain('port 3000')
  })
})
