import { Hono } from 'hono'
import type { AppDeps } from './deps.js'
import { installErrorHandlers } from './http/install-error-handlers.js'
import { createHealthRoutes } from './http/health-routes.js'
import { createControlUiRoutes } from './http/control-ui-routes.js'
import type { ControlRouteExtras } from './control/routes.js'
import { createControlSurface } from './control/create-control-surface.js'
import { createAgentRuntime, type AgentRuntime } from './agent/agent-runtime.js'
import { createChatCompletionsRoutes } from './openai/chat-completions-routes.js'
import { createDiscordChannel, type DiscordChannel } from './discord/discord-channel.js'
import { createDiscordRoutes } from './discord/routes.js'
import { discordChannelStatus } from './discord/discord-channel-status.js'
import { createSessionModelControl } from './discord/session-model-control.js'
import { createPairingRoutes } from './http/pairing-routes.js'
import { createDeliveryRegistry, type DeliveryRegistry } from './channels/delivery-registry.js'
import { createDiscordDelivery } from './discord/discord-delivery.js'
import { createTelegramChannel, type TelegramChannel } from './telegram/telegram-channel.js'
import { createTelegramRoutes } from './telegram/routes.js'
import { createTelegramSetupRoutes } from './telegram/setup-routes.js'
import { createSessionActivationControl } from './telegram/session-activation-control.js'
import { telegramChannelStatus } from './telegram/telegram-channel-status.js'
import { createTelegramDelivery } from './telegram/telegram-delivery.js'
import { createAuthGuard } from './gateway/auth-guard.js'
import { createEnvMasker } from './gateway/env-masker.js'
import { maskEnvResponses } from './http/mask-env-responses.js'

/**
 * Builds the gateway's fetch application from its capabilities. The same app serves Node and Workers; each
 * runtime only supplies `deps`.
 */
export function createApp(
  deps: AppDeps,
  services: {
    agents?: AgentRuntime
    /** The runtime starts it once listening (Discord pings the endpoint when its URL is set). */
    discord?: DiscordChannel
    /** The runtime starts it once listening (it registers the webhook URL with Telegram). */
    telegram?: TelegramChannel
    /** Extra control-socket methods, registry, channel status, client address. */
    control?: ControlRouteExtras
    /** Outbound delivery to channels; channels created here register themselves into it. */
    delivery?: DeliveryRegistry
  } = {},
): Hono {
  const app = new Hono()
  const logger = deps.logger.child('http')
  const agents = services.agents ?? createAgentRuntime(deps)
  const discord = services.discord ?? createDiscordChannel(deps)
  const telegram = services.telegram ?? createTelegramChannel(deps)
  const channelStatus = async () => ({ ...discordChannelStatus(discord), ...(await telegramChannelStatus(telegram)) })
  // Every sender that is not replying in place (cron, heartbeat, send, hooks) delivers through this.
  const delivery = services.delivery ?? createDeliveryRegistry()
  delivery.register(createDiscordDelivery(discord))
  delivery.register(createTelegramDelivery(telegram, deps.logger.child('telegram')))
  // One failed-auth budget and one idea of the client's address for every authenticated surface.
  const guard = createAuthGuard(deps, { peer: services.control?.clientAddress, limits: services.control?.failedAuthLimits })

  app.use('*', maskEnvResponses(createEnvMasker(deps)))
  // First, so a WebSocket upgrade on `/` (or any non-API path) reaches the control socket, not the Control UI.
  app.route('/', createControlSurface(deps, agents, { channelStatus, ...services.control, guard }))
  app.route('/', createHealthRoutes(deps, guard, channelStatus))
  app.route('/', createPairingRoutes(deps, guard))
  app.route('/', createDiscordRoutes(deps, { runner: agents, discord, sessions: createSessionModelControl(agents, deps.now) }))
  app.route('/', createTelegramSetupRoutes(deps, telegram, guard))
  app.route('/', createTelegramRoutes(deps, {
    runner: agents,
    telegram,
    sessions: createSessionModelControl(agents, deps.now),
    activation: createSessionActivationControl(agents, deps.now),
  }))
  app.route('/', createChatCompletionsRoutes(deps, agents, guard))
  // Last: its SPA fallback answers any GET the routes above did not take.
  app.route('/', createControlUiRoutes(deps))

  installErrorHandlers(app, logger)
  return app
}
