import type { Hono } from 'hono'
import type { AgentRuntime } from '../agent/agent-runtime.js'
import { getDefaultAgentId } from '../config/config-lookup.js'
import type { AppDeps } from '../deps.js'
import { canonicalizeSessionKey } from '../sessions/session-key.js'
import { ChatBridge } from './chat-bridge.js'
import { createChatMethods } from './chat-methods.js'
import { createConnectionRegistry } from './connections.js'
import { createControlRoutes, type ControlRouteExtras } from './routes.js'
import { createSessionMethods } from './session-methods.js'
import type { DeliveryRegistry } from '../channels/delivery-registry.js'
import { createDeliveryRegistry } from '../channels/delivery-registry.js'
import { AgentEventBroadcaster } from './agent-events.js'
import { createAgentMethod } from './agent-method.js'
import { createAgentWaitMethod } from './agent-wait-method.js'
import { createSendMethods } from './send-methods.js'
import { createUsageMethods } from './usage-methods.js'

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
  const connections = extras.connections ?? createConnectionRegistry()
  const bridge = new ChatBridge(connections, (key) => canonicalizeSessionKey(key, getDefaultAgentId(deps.state.config)), deps.now)
  bridge.attach(agents)
  const events = new AgentEventBroadcaster(connections, deps.now)
  events.attach(agents)
  const agentApi = [
    createAgentMethod({ runtime: agents, delivery, events }),
    createAgentWaitMethod(events),
    ...createSendMethods(agents, delivery),
    ...createUsageMethods(agents),
  ]
  return createControlRoutes(deps, {
    ...extras,
    connections,
    methods: [...createChatMethods(agents, bridge), ...createSessionMethods(agents), ...agentApi, ...(extras.methods ?? [])],
    events: ['chat', 'agent', ...(extras.events ?? [])],
  })
}
