import type { AgentRuntime } from '../agent/agent-runtime.js'
import { DeliveryTargetError, type ChannelDeliverer } from '../channels/channel-delivery.js'
import { getDefaultAgentId } from '../config/config-lookup.js'
import type { AppDeps } from '../deps.js'
import { EMPTY_USAGE } from '../providers/model-provider.js'
import { canonicalizeSessionKey, parseAgentIdFromKey } from '../sessions/session-key.js'
import { createMessageEntry } from '../sessions/transcript-entry.js'
import type { ChatBridge } from './chat-bridge.js'

/**
 * Delivery into a Control UI (webchat) session: the message becomes an assistant entry of that session's transcript
 * and a `chat` final event for the clients watching it, so a reminder shows up in the open chat and in its history.
 * The target's `to` is the session key.
 */
export function createWebchatDelivery(deps: AppDeps, agents: AgentRuntime, bridge: ChatBridge): ChannelDeliverer {
  const resolve = (to: string) => {
    const key = canonicalizeSessionKey(to, getDefaultAgentId(deps.state.config))
    return { key, agentId: parseAgentIdFromKey(key) ?? getDefaultAgentId(deps.state.config) }
  }
  return {
    channel: 'webchat',
    checkTarget(target) {
      if (target.to.trim() === '') throw new DeliveryTargetError('webchat delivery needs a session key in `to`')
    },
    async deliver(target, message) {
      const { key, agentId } = resolve(target.to)
      const entry = await agents.sessions.store(agentId).get(key)
      if (entry === undefined) throw new DeliveryTargetError(`webchat session ${key} does not exist; open it in the Control UI first`)
      const history = await agents.sessions.transcripts.read(agentId, entry.sessionId, { limit: 1 })
      const head = history.at(-1)
      const now = deps.now()
      const record = createMessageEntry(
        { role: 'assistant', content: [{ type: 'text', text: message.text }], usage: { ...EMPTY_USAGE }, stopReason: 'stop', timestamp: now },
        head && 'id' in head ? head.id : null,
        now,
      )
      await agents.sessions.append(agentId, entry.sessionId, [record])
      const runId = `delivery-${crypto.randomUUID()}`
      bridge.onEvent({ type: 'run-end', runId, sessionKey: key, text: message.text, silent: false, model: 'delivery', usage: { ...EMPTY_USAGE }, stopReason: 'stop', at: now })
      return { channel: 'webchat', messageId: record.id, messageIds: [record.id], conversationId: key }
    },
  }
}
