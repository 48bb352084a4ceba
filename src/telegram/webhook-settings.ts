import { DEFAULT_ACCOUNT_ID, DEFAULT_WEBHOOK_PATH, type TelegramSettings } from './resolve-telegram-account.js'

const SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/
const WEBHOOK_PORTS = new Set(['', '443', '80', '88', '8443'])
const encoder = new TextEncoder()

/** The webhook facts of one account: its local route, the public URL given to Telegram, and the secret token. */
export interface WebhookSettings {
  path: string
  /** `undefined` with `urlProblem` set when no public URL can be derived or it is not one Telegram accepts. */
  url?: string
  urlProblem?: string
  secret?: string
  secretProblem?: string
  secretSource: 'config' | 'derived'
}

/**
 * The local route of each account: its `webhookPath` (default `/telegram-webhook`), and when several accounts land on
 * the same path, `<path>/<accountId>` for every account but `default` (upstream crashed with EADDRINUSE instead).
 * @see spec/telegram.md §1.3
 */
export function webhookPaths(accounts: Array<{ accountId: string; settings: TelegramSettings }>): Map<string, string> {
  const wanted = accounts.map(({ accountId, settings }) => ({ accountId, path: normalizePath(settings.webhookPath) }))
  const counts = new Map<string, number>()
  for (const { path } of wanted) counts.set(path, (counts.get(path) ?? 0) + 1)
  return new Map(
    wanted.map(({ accountId, path }) => {
      const shared = (counts.get(path) ?? 0) > 1 && accountId !== DEFAULT_ACCOUNT_ID
      return [accountId, shared ? `${path.replace(/\/+$/, '')}/${encodeURIComponent(accountId)}` : path]
    }),
  )
}

/**
 * Resolves the public URL (`webhookUrl`, else `CLAWDBOT_PUBLIC_URL` + path, else `https://$FLY_APP_NAME.fly.dev` +
 * path) and the secret (`webhookSecret`, else one derived from the bot token, so every instance agrees without
 * storage and a rotated token rotates it).
 * @see spec/telegram.md §1.3, §6.4
 */
export async function resolveWebhookSettings(
  accountId: string,
  settings: TelegramSettings,
  path: string,
  token: string | undefined,
  env: Record<string, string | undefined>,
): Promise<WebhookSettings> {
  const result: WebhookSettings = { path, secretSource: 'config' }
  const explicitUrl = settings.webhookUrl?.trim()
  const publicOrigin = env.CLAWDBOT_PUBLIC_URL?.trim().replace(/\/+$/, '')
  const flyApp = env.FLY_APP_NAME?.trim()
  const candidate =
    explicitUrl !== undefined && explicitUrl !== ''
      ? explicitUrl
      : publicOrigin !== undefined && publicOrigin !== ''
        ? `${publicOrigin}${path}`
        : flyApp !== undefined && flyApp !== ''
          ? `https://${flyApp}.fly.dev${path}`
          : undefined
  if (candidate === undefined) result.urlProblem = 'telegram: webhook URL unknown; set channels.telegram.webhookUrl or CLAWDBOT_PUBLIC_URL'
  else {
    const problem = checkWebhookUrl(candidate)
    if (problem === undefined) result.url = candidate
    else result.urlProblem = problem
  }
  const configured = settings.webhookSecret
  if (configured !== undefined) {
    if (SECRET_PATTERN.test(configured)) result.secret = configured
    else {
      result.secretProblem =
        `channels.telegram${accountId === DEFAULT_ACCOUNT_ID ? '' : `.accounts.${accountId}`}.webhookSecret must be 1-256 characters of ` +
        'A-Z, a-z, 0-9, _ and - (Telegram rejects anything else); change it or remove it to use a derived secret'
    }
  } else if (token !== undefined) {
    result.secret = await deriveWebhookSecret(token, accountId)
    result.secretSource = 'derived'
  }
  return result
}

/** base64url(HMAC-SHA256(key = bot token, "clawdbot-telegram-webhook:" + accountId)), first 43 characters. */
export async function deriveWebhookSecret(token: string, accountId: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`clawdbot-telegram-webhook:${accountId}`)))
  let binary = ''
  for (const byte of signature) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '').slice(0, 43)
}

function normalizePath(path: string | undefined): string {
  const trimmed = path?.trim() ?? ''
  if (trimmed === '') return DEFAULT_WEBHOOK_PATH
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`
}

/** Telegram only calls HTTPS URLs on ports 443, 80, 88 or 8443. */
function checkWebhookUrl(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `telegram: webhook URL "${value}" is not a URL; set channels.telegram.webhookUrl to https://<host>/telegram-webhook`
  }
  if (url.protocol !== 'https:') return `telegram: webhook URL must use https (Telegram refuses ${url.protocol} URLs)`
  if (!WEBHOOK_PORTS.has(url.port)) return `telegram: webhook URL port ${url.port} is not one Telegram calls (443, 80, 88 or 8443)`
  return undefined
}
