import { Hono } from 'hono'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import type { AuthGuard } from '../gateway/auth-guard.js'
import { requireGatewayAuth } from '../http/require-gateway-auth.js'
import type { TelegramChannel } from './telegram-channel.js'
import { telegramChannelStatus } from './telegram-channel-status.js'

/**
 * `POST /api/telegram/setup` (gateway token): runs `getMe` → `setWebhook` → `setMyCommands` again now and returns the
 * freshly probed status, e.g. to take the webhook back after another deployment registered its own URL, or on
 * Workers, which has no start hook of its own.
 * @see spec/telegram.md §6.4
 */
export function createTelegramSetupRoutes(deps: AppDeps, telegram: TelegramChannel, guard: AuthGuard): Hono {
  const routes = new Hono()
  routes.post('/api/telegram/setup', requireGatewayAuth(deps, guard), async (c) => {
    if (telegram.accountIds().length === 0) {
      throw new AppError('not_found', '[telegram] Telegram is not configured: set TELEGRAM_BOT_TOKEN or channels.telegram.botToken')
    }
    await telegram.start({ force: true })
    const status = await telegramChannelStatus(telegram, { probe: true })
    return c.json({ ok: true, telegram: status.telegram })
  })
  return routes
}
