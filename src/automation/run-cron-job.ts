import type { AgentRuntime } from '../agent/agent-runtime.js'
import { formatEventTime, safeZone } from '../agent/system-event-queue.js'
import type { DeliveryRegistry } from '../channels/delivery-registry.js'
import { getDefaultAgentId, listAgentIds } from '../config/config-lookup.js'
import type { ResolvedConfig } from '../config/load-config.js'
import type { Scheduler } from '../deps.js'
import { resetSession } from '../sessions/resolve-session.js'
import { cronSessionKey, mainSessionKey } from '../sessions/session-key.js'
import type { CronJob } from './cron-job.js'
import type { CronRunResult } from './cron-service.js'
import { DEFAULT_ACK_MAX_CHARS, stripHeartbeatToken } from './heartbeat-text.js'
import type { HeartbeatResult } from './run-heartbeat.js'
import { resolveDeliveryTarget } from './resolve-delivery-target.js'

// Upstream waits for a busy main lane in 250 ms steps, for at most two minutes.
const MAIN_LANE_POLL_MS = 250
const MAIN_LANE_WAIT_MS = 120_000
const POST_TO_MAIN_MAX_CHARS = 8_000

/** What executing a job needs. */
export interface CronExecutionContext {
  config: () => ResolvedConfig
  now: () => number
  scheduler: Scheduler
  agents: AgentRuntime
  delivery: DeliveryRegistry
  heartbeat: { runNow(reason: string): Promise<HeartbeatResult>; requestNow(reason: string): void }
  log: { warn(message: string): void; error(message: string): void }
  hostZone?: string
}

/**
 * Runs one cron job: a main job queues its text as a system event for the agent's main session and wakes a
 * heartbeat; an isolated job runs a whole agent turn in `agent:<id>:cron:<jobId>` (a fresh transcript every run),
 * delivers the reply if asked, and posts a one-line summary back to the main session.
 * @see spec/automation.md §1.5
 */
export async function runCronJob(context: CronExecutionContext, job: CronJob): Promise<CronRunResult> {
  const config = context.config()
  const agentId = job.agentId !== undefined && listAgentIds(config).includes(job.agentId) ? job.agentId : getDefaultAgentId(config)
  if (job.payload.kind === 'systemEvent') return runMainJob(context, job, agentId, job.payload.text)
  return runIsolatedJob(context, job, agentId, job.payload)
}

async function runMainJob(context: CronExecutionContext, job: CronJob, agentId: string, rawText: string): Promise<CronRunResult> {
  const text = rawText.trim()
  if (text === '') return { status: 'skipped', error: 'main job requires non-empty systemEvent text' }
  context.agents.systemEvents.enqueue(mainSessionKey(agentId), text, context.now())
  const reason = `cron:${job.id}`
  if (job.wakeMode === 'next-heartbeat') {
    // Upstream's behaviour, kept because users rely on it: "next heartbeat" asks for one right away.
    context.heartbeat.requestNow(reason)
    return { status: 'ok', summary: text }
  }
  const deadline = context.now() + MAIN_LANE_WAIT_MS
  for (;;) {
    const result = await context.heartbeat.runNow(reason)
    if (result.status === 'ran') return { status: 'ok', summary: text }
    if (result.status === 'failed') return { status: 'error', error: result.reason, summary: text }
    if (result.reason !== 'requests-in-flight') return { status: 'skipped', error: result.reason, summary: text }
    if (context.now() >= deadline) return { status: 'skipped', error: 'timeout waiting for main lane to become idle', summary: text }
    await new Promise<void>((resolve) => context.scheduler.after(MAIN_LANE_POLL_MS, resolve))
  }
}

async function runIsolatedJob(
  context: CronExecutionContext,
  job: CronJob,
  agentId: string,
  payload: Extract<CronJob['payload'], { kind: 'agentTurn' }>,
): Promise<CronRunResult> {
  const config = context.config()
  const { agents } = context
  const sessionKey = cronSessionKey(agentId, job.id)
  // A fresh transcript per run; model and thinking overrides on the row survive the reset.
  await resetSession({ store: agents.sessions.store(agentId), transcripts: agents.sessions.transcripts, key: sessionKey, now: context.now })
  const zone = safeZone(config.agents?.defaults?.userTimezone) ?? context.hostZone ?? 'UTC'
  const prompt = `[cron:${job.id} ${job.name}] ${payload.message}\nCurrent time: ${formatEventTime(context.now(), zone)} (${zone})`
  const handle = agents.send({ agentId, sessionKey, text: prompt, channel: 'cron', ...(payload.model ? { modelOverride: payload.model } : {}) })
  const cancelTimeout = payload.timeoutSeconds === undefined ? undefined : context.scheduler.after(payload.timeoutSeconds * 1_000, () => agents.abort(sessionKey))
  const outcome = await handle.done.finally(() => cancelTimeout?.())

  let result: CronRunResult
  if (outcome.kind === 'failed') result = { status: 'error', error: outcome.detail || outcome.message }
  else if (outcome.kind === 'aborted') result = { status: 'error', error: payload.timeoutSeconds ? `cron run timed out after ${payload.timeoutSeconds}s` : 'cron run aborted' }
  else {
    const outputText = outcome.silent ? '' : outcome.text.trim()
    result = { status: 'ok', ...(outputText ? { summary: outputText, outputText } : {}) }
    result = await deliver(context, job, agentId, payload, result, outputText)
  }
  postToMain(context, job, agentId, result)
  return result
}

async function deliver(
  context: CronExecutionContext,
  job: CronJob,
  agentId: string,
  payload: Extract<CronJob['payload'], { kind: 'agentTurn' }>,
  result: CronRunResult,
  outputText: string,
): Promise<CronRunResult> {
  const explicitTo = payload.to?.trim()
  const mode = payload.deliver === true ? 'explicit' : payload.deliver === false ? 'off' : explicitTo ? 'auto' : 'off'
  if (mode === 'off') return result
  const ackMaxChars = context.config().agents?.list?.find((agent) => agent.id === agentId)?.heartbeat?.ackMaxChars ?? context.config().agents?.defaults?.heartbeat?.ackMaxChars ?? DEFAULT_ACK_MAX_CHARS
  if (outputText === '' || stripHeartbeatToken(outputText, { mode: 'heartbeat', ackMaxChars }).ack) return result
  const main = mainSessionKey(agentId)
  const entry = await context.agents.sessions.store(agentId).get(main)
  const target = resolveDeliveryTarget({ channel: payload.channel, to: explicitTo }, { key: main, entry }, context.delivery.channels())
  if (!target.ok) {
    if (payload.bestEffortDeliver) return { ...result, status: 'skipped', summary: 'Delivery skipped (no recipient).' }
    return { ...result, status: 'error', error: 'Cron delivery requires a recipient (--to).' }
  }
  try {
    await context.delivery.deliver(target.target, { text: outputText })
    return result
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    context.log.warn(`cron: delivery of job ${job.id} to ${target.target.channel} failed: ${message}`)
    if (payload.bestEffortDeliver) return { ...result, summary: `Delivery skipped (${message}).` }
    return { ...result, status: 'error', error: `delivery failed: ${message}` }
  }
}

// `Cron: <summary>` (or `Cron (error): …`) into the main session, so the main conversation knows what ran.
function postToMain(context: CronExecutionContext, job: CronJob, agentId: string, result: CronRunResult): void {
  const base = job.isolation?.postToMainPrefix?.trim() || 'Cron'
  const prefix = result.status === 'ok' ? base : `${base} (${result.status})`
  let body = result.summary ?? result.error ?? result.status
  if (job.isolation?.postToMainMode === 'full' && result.outputText) {
    const max = job.isolation.postToMainMaxChars ?? POST_TO_MAIN_MAX_CHARS
    body = result.outputText.length > max ? `${result.outputText.slice(0, max)}…` : result.outputText
  }
  context.agents.systemEvents.enqueue(mainSessionKey(agentId), `${prefix}: ${body}`, context.now())
  if (job.wakeMode === 'now') context.heartbeat.requestNow(`cron:${job.id}:post`)
}
