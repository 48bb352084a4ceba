import type { Hono } from 'hono'
import type { AgentRuntime } from '../agent/agent-runtime.js'
import { getDefaultAgentId } from '../config/config-lookup.js'
import type { AppDeps } from '../deps.js'
import { canonicalizeSessionKey } from '../sessions/session-key.js'
import { AgentEventBridge } from './agent-event-bridge.js'
import { ChatBridge } from './chat-bridge.js'
import { createChatMethods } from './chat-methods.js'
import { createConnectionRegistry } from './connections.js'
import { createControlRoutes, type ControlRouteExtras } from './routes.js'
import { createSessionMethods } from './session-methods.js'
import { createUnsupportedFeatureMethods } from './unsupported-feature-methods.js'
import type { DeliveryRegistry } from '../channels/delivery-registry.js'
import { createDeliveryRegistry } from '../channels/delivery-registry.js'
import type { RunEvent } from '../agent/run-events.js'
import { RunLifecycleCache } from './run-lifecycle-cache.js'
import { createAgentMethod } from './agent-method.js'
import { createAgentWaitMethod } from './agent-wait-method.js'
import { createSendMethods } from './send-methods.js'
import { createUsageMethods } from './usage-methods.js'
import { createWebchatDelivery } from './webchat-delivery.js'
import { createMemoryMethods } from './memory-methods.js'

/**
 * The WebSocket control surface with the agent runtime behind it: chat and session methods, and every run (from any
 * channel) forwarded as `chat` events to the clients watching its session.
 */
export function createControlSurface(
  deps: AppDeps,
  agents: AgentRuntime,
  extras: ControlRouteExtras = {},
  delivery: DeliveryRegistry = createDeliveryRegistry(),
): Hono {
  const connections = extras.connections ?? createConnectionRegistry({ scheduler: deps.scheduler })
  const bridge = new ChatBridge(connections, (key) => canonicalizeSessionKey(key, getDefaultAgentId(deps.state.config)), deps.now, deps.scheduler)
  bridge.attach(agents)
  // Scheduled messages for a Control UI session land in its transcript and open chats.
  delivery.register(createWebchatDelivery(deps, agents, bridge))
  const agentEvents = new AgentEventBridge(connections, (key) => canonicalizeSessionKey(key, getDefaultAgentId(deps.state.config)), deps.now, deps.scheduler)
  agentEvents.attach(agents)
  const lifecycle = new RunLifecycleCache(deps.now)
  lifecycle.attach(agents)
  // Runs the `agent` method fails before the runtime takes them still end, for event consumers and agent.wait alike.
  const reportEarlyEnd = (event: RunEvent) => {
    agentEvents.onEvent(event)
    lifecycle.onEvent(event)
  }
  const agentApi = [
    createAgentMethod({ runtime: agents, delivery, reportEarlyEnd }),
    createAgentWaitMethod(lifecycle),
    ...createSendMethods(agents, delivery),
    ...createUsageMethods(agents),
  ]
  return createControlRoutes(deps, {
    ...extras,
    connections,
    methods: [...createChatMethods(agents, bridge), ...createSessionMethods(agents), ...createMemoryMethods(agents), ...createUnsupportedFeatureMethods(agents), ...agentApi, ...(extras.methods ?? [])],
    events: ['chat', 'agent', ...(extras.events ?? [])],
  })
}
