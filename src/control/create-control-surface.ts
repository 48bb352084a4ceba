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
import { createMemoryMethods } from './memory-methods.js'

/**
 * The WebSocket control surface with the agent runtime behind it: chat and session methods, and every run (from any
 * channel) forwarded as `chat` events to the clients watching its session.
 */
export function createControlSurface(deps: AppDeps, agents: AgentRuntime, extras: ControlRouteExtras = {}): Hono {
  const connections = extras.connections ?? createConnectionRegistry({ scheduler: deps.scheduler })
  const bridge = new ChatBridge(connections, (key) => canonicalizeSessionKey(key, getDefaultAgentId(deps.state.config)), deps.now, deps.scheduler)
  bridge.attach(agents)
  new AgentEventBridge(connections, (key) => canonicalizeSessionKey(key, getDefaultAgentId(deps.state.config))).attach(agents)
  return createControlRoutes(deps, {
    ...extras,
    connections,
    methods: [...createChatMethods(agents, bridge), ...createSessionMethods(agents), ...createMemoryMethods(agents), ...(extras.methods ?? [])],
    events: ['chat', 'agent', ...(extras.events ?? [])],
  })
}
