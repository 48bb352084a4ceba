import type { AgentRuntime } from '../agent/agent-runtime.js'
import type { SystemEventQueue } from '../agent/system-event-queue.js'
import type { DeliveryRegistry } from '../channels/delivery-registry.js'
import { getDefaultAgentId } from '../config/config-lookup.js'
import type { AppDeps } from '../deps.js'
import { mainSessionKey } from '../sessions/session-key.js'
import { hookChannels } from './hook-channels.js'

/** A checked `/hooks/agent` (or mapped agent) request. */
export interface HookAgentRequest {
  message: string
  name: string
  /** As given (`hook:<uuid>` by default); the run's key is `agent:<default>:<sessionKey>`. */
  sessionKey: string
  wakeMode: 'now' | 'next-heartbeat'
  deliver: boolean
  /** `last` or a registered channel id. */
  channel: string
  to?: string
  model?: string
  thinking?: string
  timeoutSeconds?: number
}

/** What a hook run needs from the app. */
export interface HookServices {
  runtime: AgentRuntime
  delivery: DeliveryRegistry
  systemEvents: Pick<SystemEventQueue, 'enqueue'>
  /**
   * Starts a heartbeat turn of the main session now (`wakeMode`/`mode: "now"`). Absent until a heartbeat runner
   * exists; queued events then wait for the main session's next message.
   */
  requestHeartbeat?: (reason: string) => void
}

const SUMMARY_CHARS = 500
const HEARTBEAT_ACK = /^\s*HEARTBEAT_OK\s*$/

/**
 * Runs a hook's isolated turn in the background (spec/agent-api.md §6.4): the default agent, its own session, the
 * reply delivered to `channel`/`to` (else the main session's last route), and always a `Hook <name>: …` system
 * event on the main session afterwards. Never throws: failures end up in that event and the log.
 */
export async function runHookAgent(deps: AppDeps, services: HookServices, request: HookAgentRequest, runId: string): Promise<void> {
  const logger = deps.logger.child('hooks')
  const config = deps.state.config
  const agentId = getDefaultAgentId(config)
  const mainKey = mainSessionKey(agentId)
  let status = 'ok'
  let summary = ''
  try {
    const target = request.deliver ? await resolveHookTarget(services, request, agentId, mainKey) : undefined
    const timeZone = config.agents?.defaults?.userTimezone ?? 'UTC'
    const now = new Date(deps.now())
    const prompt = `[cron:${runId} ${request.name}] ${request.message}\nCurrent time: ${formatTime(now, timeZone)} (${timeZone})`
    const handle = services.runtime.send({
      agentId,
      sessionKey: hookRunKey(request.sessionKey, agentId),
      text: prompt,
      channel: target?.channel ?? 'webchat',
      chatType: 'direct',
      runId,
      ...(request.model ? { modelOverride: request.model } : {}),
      ...(request.timeoutSeconds ? { timeoutSeconds: request.timeoutSeconds } : {}),
    })
    const outcome = await handle.done
    if (outcome.kind === 'failed') throw new Error(outcome.detail || outcome.message)
    const text = outcome.text.trim()
    summary = text === '' || (outcome.kind === 'completed' && outcome.silent) ? 'no reply' : text.slice(0, SUMMARY_CHARS)
    if (outcome.kind === 'aborted') status = 'aborted'
    else if (target !== undefined && !outcome.silent && text !== '' && !HEARTBEAT_ACK.test(text)) {
      await services.delivery.deliver(target, { text: outcome.text })
    }
  } catch (error) {
    status = 'error'
    summary = error instanceof Error ? error.message : String(error)
    logger.warn(`hook ${request.name} (${runId}) failed: ${summary}`)
  }
  const line = status === 'ok' ? `Hook ${request.name}: ${summary}` : `Hook ${request.name} (${status}): ${summary}`
  services.systemEvents.enqueue(mainKey, line, deps.now())
  if (request.wakeMode === 'now') services.requestHeartbeat?.('hook')
}

async function resolveHookTarget(services: HookServices, request: HookAgentRequest, agentId: string, mainKey: string) {
  const main = await services.runtime.sessions.store(agentId).get(mainKey)
  const registered = hookChannels(services.delivery)
  const last = main?.lastChannel !== undefined && registered.includes(main.lastChannel) ? main.lastChannel : registered[0]
  const channel = request.channel === 'last' ? last : request.channel
  if (channel === undefined) throw new Error('no channel can deliver hook replies here; configure one (channels.discord) or send deliver:false')
  const to = request.to ?? main?.lastTo
  if (!to) throw new Error('Cron delivery requires a recipient (--to).')
  const target = { channel, to }
  services.delivery.get(channel)?.checkTarget(target)
  return target
}

// Always the default agent's session: `agent:<default>:<sessionKey>`, so a body cannot point the run at another agent.
function hookRunKey(sessionKey: string, agentId: string): string {
  const lowered = sessionKey.trim().toLowerCase()
  const prefix = `agent:${agentId}:`
  return lowered.startsWith(prefix) ? lowered : `${prefix}${lowered}`
}

function formatTime(date: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(date)
  } catch {
    return date.toISOString()
  }
}
