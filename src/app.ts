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
import { PendingSystemEvents, withSystemEvents } from './agent/system-events.js'
import { createHooksRoutes } from './hooks/hooks-routes.js'
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
    /** Extra control-socket methods, registry, channel status, client address. */
    control?: ControlRouteExtras
    /** Outbound delivery to channels; channels created here register themselves into it. */
    delivery?: DeliveryRegistry
    /** MCP servers' tools; the runtime starts it once listening and stops it on shutdown. */
    mcp?: McpToolSource
  } = {},
): Hono {
  const app = new Hono()
  const logger = deps.logger.child('http')
  // Notes for a session's next turn (hook summaries, `/hooks/wake` texts) ride in front of its next message.
  const systemEvents = new PendingSystemEvents()
  const agents = withSystemEvents(services.agents ?? createAgentRuntime(deps), systemEvents)
  const discord = services.discord ?? createDiscordChannel(deps)
  const mcp = services.mcp ?? createAppMcp(deps)
  agents.tools.addSource(mcp)
  const channelStatus = async (options: { probe?: boolean } = {}) => {
    if (options.probe) await Promise.all(discord.accountIds().map((accountId) => discord.account(accountId)?.probe()))
    return discordChannelStatus(discord)
  }
  // Every sender that is not replying in place (cron, heartbeat, send, hooks) delivers through this.
  const delivery = services.delivery ?? createDeliveryRegistry()
  delivery.register(createDiscordDelivery(discord))
  // One failed-auth budget and one idea of the client's address for every authenticated surface.
  const guard = createAuthGuard(deps, { peer: services.control?.clientAddress, limits: services.control?.failedAuthLimits })

  app.use('*', maskEnvResponses(createEnvMasker(deps)))
  // First, so a WebSocket upgrade on `/` (or any non-API path) reaches the control socket, not the Control UI.
  const control = { ...services.control, methods: [...(services.control?.methods ?? []), ...createMcpMethods(() => mcp.settledStatus())] }
  app.route('/', createControlSurface(deps, agents, { channelStatus, ...control, guard }, delivery))
  app.route('/', createHealthRoutes(deps, guard, channelStatus, async () => ({ mcp: { servers: await mcp.settledStatus() } })))
  app.route('/', createPairingRoutes(deps, guard))
  app.route('/', createHooksRoutes(deps, { runtime: agents, delivery, systemEvents }, guard))
  app.route('/', createDiscordRoutes(deps, { runner: agents, discord, sessions: createSessionModelControl(agents, deps.now) }))
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
