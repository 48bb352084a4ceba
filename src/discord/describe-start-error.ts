import { DiscordApiError } from './discord-rest.js'

/**
 * Says why the Discord start failed in terms a user can act on: a rejected token, an unreachable API (with the
 * network error code), or the API's own message.
 */
export function describeStartError(error: unknown, apiBaseUrl: string): string {
  if (error instanceof DiscordApiError && error.status === 401) {
    return 'Discord rejected the bot token (401); check DISCORD_BOT_TOKEN or channels.discord.token'
  }
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    const reason = cause?.code ?? cause?.message ?? 'network error'
    return `could not reach the Discord API at ${apiBaseUrl} (${reason}); will retry. Check the network, or DISCORD_API_BASE_URL if you use a proxy`
  }
  return error instanceof Error ? error.message : String(error)
}
