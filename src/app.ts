import { Hono } from 'hono'
import type { AppDeps } from './deps.js'
import { installErrorHandlers } from './http/install-error-handlers.js'
import { createHealthRoutes } from './http/health-routes.js'
import { createControlUiRoutes } from './http/control-ui-routes.js'
import type { ControlRouteExtras } from './control/routes.js'
import { createControlSurface } from './control/create-control-surface.js'
import { createAgentRuntime, type AgentRuntime } from './agent/agent-runtime.js'
import { createChatCompletionsRoutes } from './openai/chat-completions-routes.js'
import { createModelsRoutes } from './openai/models-routes.js'
import { createDiscordChannel, type DiscordChannel } from './discord/discord-channel.js'
import { createDiscordRoutes } from './discord/routes.js'
import { discordChannelStatus } from './discord/discord-channel-status.js'
import { createSessionModelControl } from './discord/session-model-control.js'
import { createPairingRoutes } from './http/pairing-routes.js'
import { createAvatarRoutes } from './http/avatar-routes.js'
import { createDeliveryRegistry, type DeliveryRegistry } from './channels/delivery-registry.js'
import { createDiscordDelivery } from './discord/discord-delivery.js'
import { createMcpToolSource, type McpToolSource } from './mcp/mcp-tool-source.js'
import { createGuardedFetch, fetchNetworkAccess } from './tools/guarded-fetch.js'
import { createMcpMethods } from './mcp/mcp-methods.js'
import { createHooksRoutes } from './hooks/hooks-routes.js'
import { createAutomation, type Automation } from './automation/create-automation.js'
import { createAutomationMethods, createCronToolAccess } from './control/automation-methods.js'
import { createCronToolSource } from './tools/cron-tool.js'
import { createConnectionRegistry } from './control/connections.js'
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
    /** MCP servers' tools; the runtime starts it once listening and stops it on shutdown. */
    mcp?: McpToolSource
    /** Receives the cron and heartbeat services (tests stop them to simulate a restart). */
    onAutomation?: (automation: Automation) => void
  } = {},
): Hono {
  const app = new Hono()
  const logger = deps.logger.child('http')
  const agents = services.agents ?? createAgentRuntime(deps)
  const discord = services.discord ?? createDiscordChannel(deps)
  const telegram = services.telegram ?? createTelegramChannel(deps)
  const mcp = services.mcp ?? createAppMcp(deps)
  agents.tools.addSource(mcp)
  const channelStatus = async (options: { probe?: boolean } = {}) => {
    if (options.probe) await Promise.all(discord.accountIds().map((accountId) => discord.account(accountId)?.probe()))
    return { ...discordChannelStatus(discord), ...(await telegramChannelStatus(telegram)) }
  }
  // Every sender that is not replying in place (cron, heartbeat, send, hooks) delivers through this.
  const delivery = services.delivery ?? createDeliveryRegistry()
  delivery.register(createDiscordDelivery(discord))
  delivery.register(createTelegramDelivery(telegram, deps.logger.child('telegram')))
  const connections = services.control?.connections ?? createConnectionRegistry({ scheduler: deps.scheduler })
  const automation = createAutomation(deps, agents, delivery, (event, payload) => connections.broadcast(event, payload, undefined, { dropIfSlow: true }))
  services.onAutomation?.(automation)
  agents.tools.addSource(createCronToolSource(createCronToolAccess(deps, automation, () => delivery.channels()), deps.now))
  void automation.start().catch((error: unknown) => deps.logger.child('cron').error(`could not start: ${String(error)}`))
  // One failed-auth budget and one idea of the client's address for every authenticated surface.
  const guard = createAuthGuard(deps, { peer: services.control?.clientAddress, limits: services.control?.failedAuthLimits })

  app.use('*', maskEnvResponses(createEnvMasker(deps)))
  // First, so a WebSocket upgrade on `/` (or any non-API path) reaches the control socket, not the Control UI.
  const control = {
    channelStatus,
    ...services.control,
    guard,
    connections,
    methods: [...createAutomationMethods(automation), ...createMcpMethods(() => mcp.settledStatus()), ...(services.control?.methods ?? [])],
    events: ['cron', 'heartbeat', ...(services.control?.events ?? [])],
  }
  app.route('/', createControlSurface(deps, agents, control, delivery))
  app.route('/', createHealthRoutes(deps, guard, channelStatus, async () => ({ mcp: { servers: await mcp.settledStatus() } })))
  app.route('/', createPairingRoutes(deps, guard))
  // Hook notes join the same per-session system-event queue as cron's; `wakeMode: "now"` asks for a heartbeat run.
  app.route('/', createHooksRoutes(deps, { runtime: agents, delivery, systemEvents: agents.systemEvents, requestHeartbeat: (reason) => automation.heartbeat.requestNow(reason) }, guard))
  app.route('/', createDiscordRoutes(deps, { runner: agents, discord, sessions: createSessionModelControl(agents, deps.now) }))
  app.route('/', createTelegramSetupRoutes(deps, telegram, guard))
  app.route('/', createTelegramRoutes(deps, {
    runner: agents,
    telegram,
    sessions: createSessionModelControl(agents, deps.now),
    activation: createSessionActivationControl(agents, deps.now),
  }))
  app.route('/', createChatCompletionsRoutes(deps, agents, guard))
  app.route('/', createModelsRoutes(deps, guard))
  app.route('/', createAvatarRoutes(deps))
  // Last: its SPA fallback answers any GET the routes above did not take.
  app.route('/', createControlUiRoutes(deps))

  installErrorHandlers(app, logger)
  return app
}

/** MCP servers reach the network through the same SSRF guard as `web_fetch`, unless an entry allows private hosts. */
export function createAppMcp(deps: AppDeps): McpToolSource {
  // Looked up per request: deps may be swapped after the app is built (tests, a runtime's late wiring).
  const direct: typeof fetch = (input, init) => deps.fetch(input, init)
  const guarded: typeof fetch = (input, init) => createGuardedFetch(deps.network ?? fetchNetworkAccess(direct))(input, init)
  return createMcpToolSource(deps, { guarded, direct })
}
