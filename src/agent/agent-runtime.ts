import type { AppDeps } from '../deps.js'
import { requireKnownAgentId } from '../config/config-lookup.js'
import { fetchWithTimeout } from '../http/fetch-with-timeout.js'
import type { AgentRunner, InboundMessage, RunHandle, RunOutcome } from './agent-runner.js'
import { AgentSessions } from './agent-sessions.js'
import { FailoverState } from './failover-state.js'
import { InboundQueue, type QueueMode } from './inbound-queue.js'
import { LaneScheduler } from './lanes.js'
import { RunEmitter } from './run-emitter.js'
import type { RunEventListener } from './run-events.js'
import { runTurn } from './run-turn.js'
import { createBuiltinToolSource } from '../tools/builtin-tools.js'
import { fetchNetworkAccess } from '../tools/guarded-fetch.js'
import { createToolServices } from '../tools/tool-services.js'
import { ToolRegistry } from '../tools/tool-registry.js'
import { createSessionAccess } from './session-access.js'

/** How long a model provider may take to accept a request and send response headers (streams start with them). */
export const PROVIDER_CONNECT_TIMEOUT_MS = 60_000

// Channels whose clients track each message's own run id (the Control UI's busy state) get one run per message.
const PER_MESSAGE_CHANNELS = new Set(['webchat', 'openai-api'])

interface Pending {
  message: InboundMessage
  runId: string
  emitter: RunEmitter
  /** Set when this message was folded into a collected turn. */
  mergedInto?: Pending
  members: Pending[]
  settle: (outcome: RunOutcome) => void
}

/** The agent runtime plus the session bookkeeping other surfaces (history, session lists) read. */
export interface AgentRuntime extends AgentRunner {
  readonly sessions: AgentSessions
  /** The tools offered to runs; other sources (MCP) plug in with `tools.addSource`. */
  readonly tools: ToolRegistry
}

/**
 * Creates the agent runtime: messages go through the session's queue policy, then the per-session and global
 * lanes, then one turn each. Every run is registered as background work so shutdown waits for it to finish.
 */
export function createAgentRuntime(deps: AppDeps): AgentRuntime {
  const logger = deps.logger.child('agent')
  const config = () => deps.state.config
  const global = new Set<RunEventListener>()
  const sessions = new AgentSessions({ storage: deps.storage, now: deps.now, config, stateDir: () => deps.state.stateDir })
  const failover = new FailoverState({ storage: deps.storage, onWriteError: (error) => logger.warn(`could not save failover state: ${String(error)}`) })
  const active = new Map<string, { runId: string; startedAt: number; controller: AbortController }>()
  const waiting = new Map<string, Set<Pending>>()
  const tools = new ToolRegistry(deps.logger.child('tools'))

  const lanes = new LaneScheduler({
    maxConcurrent: () => config().agents?.defaults?.maxConcurrent ?? 4,
    now: deps.now,
    onWait: (info) => logger.debug(`lane wait exceeded: lane=${info.lane} waitedMs=${info.waitedMs} queueAhead=${info.queueAhead}`),
  })
  const queue = new InboundQueue<Pending>({
    mode: (key) => queueMode(key),
    debounceMs: (key) => {
      const settings = config().messages?.queue
      return settings?.debounceMsByChannel?.[channelOf(key)] ?? settings?.debounceMs ?? 1_000
    },
    cap: () => config().messages?.queue?.cap ?? 20,
    drop: () => config().messages?.queue?.drop ?? 'summarize',
    merge: (members, dropped) => mergePending(members, dropped),
    onReady: (key) => {
      if (!lanes.isBusy(key)) drain(key)
    },
    now: deps.now,
    scheduler: deps.scheduler,
  })
  const lastChannel = new Map<string, string>()
  const channelOf = (key: string) => lastChannel.get(key) ?? 'discord'
  const queueMode = (key: string): QueueMode => {
    const settings = config().messages?.queue
    const channel = channelOf(key)
    return settings?.byChannel?.[channel] ?? (PER_MESSAGE_CHANNELS.has(channel) ? 'followup' : (settings?.mode ?? 'collect'))
  }

  // Connecting and the response headers get a deadline; the stream itself is bounded by the run timeout.
  // Looked up per call: a runtime (or a test) may swap deps.fetch after the runtime is built.
  const providerFetch = fetchWithTimeout((input, init) => deps.fetch(input, init), { timeoutMs: PROVIDER_CONNECT_TIMEOUT_MS, after: (delayMs, callback) => deps.scheduler.after(delayMs, callback), subsystem: 'provider', until: 'headers' })
  const newEmitter = () => new RunEmitter(global, (error) => logger.warn(`a run event listener failed: ${String(error)}`))

  function mergePending(members: Pending[], dropped: number): Pending {
    const newest = members[members.length - 1]
    const parts = members.map((member) => (member.message.senderLabel ? `${member.message.senderLabel}: ${member.message.text}` : member.message.text))
    const text = `${dropped > 0 ? `[${dropped} earlier messages omitted]\n\n` : ''}${parts.join('\n\n')}`
    const merged: Pending = {
      message: { ...newest.message, text, senderLabel: undefined, images: members.flatMap((member) => member.message.images ?? []) },
      runId: newest.runId,
      emitter: newEmitter(),
      members: members.flatMap((member) => member.members),
      settle: (outcome) => merged.members.forEach((member) => member.settle(outcome)),
    }
    for (const member of members) {
      member.mergedInto = merged
      member.emitter.forwardTo(merged.emitter)
    }
    return merged
  }

  function start(pending: Pending): void {
    const key = pending.message.sessionKey
    for (const member of pending.members) waiting.get(key)?.delete(member)
    const controller = new AbortController()
    // Registered before the lane wait, so /stop also cancels a run still waiting for a maxConcurrent slot.
    active.set(key, { runId: pending.runId, startedAt: deps.now(), controller })
    const task = lanes
      .run(
        key,
        async () => {
          try {
            return await runTurn(
              { config: config(), env: deps.env, fetch: providerFetch, now: deps.now, logger, readTextFile: deps.readTextFile, sessions, failover, scheduler: deps.scheduler, tools },
              pending.message,
              pending.runId,
              controller.signal,
              (event) => pending.emitter.emit(event),
            )
          } finally {
            if (active.get(key)?.controller === controller) active.delete(key)
          }
        },
        controller.signal,
      )
      .catch((error: unknown): RunOutcome => {
        if (controller.signal.aborted) return { kind: 'aborted', runId: pending.runId, text: '' }
        logger.error(`run ${pending.runId} crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
        return { kind: 'failed', runId: pending.runId, message: '⚠️ Something went wrong; see the gateway logs.', detail: String(error) }
      })
      .then((outcome) => {
        if (active.get(key)?.controller === controller) active.delete(key)
        pending.settle(outcome)
        drain(key)
      })
    deps.background.waitUntil(task)
  }

  function drain(key: string): void {
    const next = queue.takeNext(key)
    if (next) start(next)
  }

  function handleFor(pending: Pending, status: RunHandle['status'], done: Promise<RunOutcome>): RunHandle {
    const current = () => {
      let target = pending
      while (target.mergedInto) target = target.mergedInto
      return target
    }
    return {
      get runId() {
        return current().runId
      },
      sessionKey: pending.message.sessionKey,
      status,
      subscribe: (listener) => current().emitter.subscribe(listener),
      done,
      cancel() {
        const key = pending.message.sessionKey
        if (queue.remove(key, pending)) {
          waiting.get(key)?.delete(pending)
          pending.settle({ kind: 'aborted', runId: pending.runId, text: '' })
          return true
        }
        const target = current()
        const running = active.get(key)
        // A collected turn also answers other messages; only a run of this message alone may be stopped.
        if (running === undefined || running.runId !== target.runId || target.members.length !== 1) return false
        running.controller.abort()
        return true
      },
    }
  }

  const runtime: AgentRuntime = {
    sessions,
    tools,
    send(message) {
      // Refused before it queues: an unknown agent gets an error, not a run of the default model.
      requireKnownAgentId(config(), message.agentId)
      const key = message.sessionKey
      lastChannel.set(key, message.channel)
      let settle!: (outcome: RunOutcome) => void
      const done = new Promise<RunOutcome>((resolve) => (settle = resolve))
      const pending: Pending = { message, runId: message.runId ?? crypto.randomUUID(), emitter: newEmitter(), members: [], settle }
      pending.members.push(pending)
      const decision = queue.offer(key, pending, lanes.isBusy(key))
      if (decision.action === 'run-now') {
        start(pending)
        return handleFor(pending, 'started', done)
      }
      if (decision.action === 'dropped') {
        settle({ kind: 'failed', runId: pending.runId, message: 'Too many messages are waiting for this conversation; this one was dropped.', detail: 'queue cap reached (drop=new)' })
        return handleFor(pending, 'queued', done)
      }
      if (!waiting.has(key)) waiting.set(key, new Set())
      waiting.get(key)!.add(pending)
      if (decision.action === 'interrupt') {
        for (const older of [...waiting.get(key)!].filter((item) => item !== pending)) {
          waiting.get(key)!.delete(older)
          older.settle({ kind: 'aborted', runId: older.runId, text: '' })
        }
        active.get(key)?.controller.abort()
      }
      return handleFor(pending, queueMode(key) === 'collect' ? 'merged' : 'queued', done)
    },
    abort(sessionKey) {
      const running = active.get(sessionKey)
      const queued = waiting.get(sessionKey)
      queue.clear(sessionKey)
      for (const pending of queued ?? []) pending.settle({ kind: 'aborted', runId: pending.runId, text: '' })
      waiting.delete(sessionKey)
      if (!running) return (queued?.size ?? 0) > 0
      running.controller.abort()
      return true
    },
    subscribe(listener) {
      global.add(listener)
      return () => global.delete(listener)
    },
    activeRun(sessionKey) {
      const running = active.get(sessionKey)
      return running ? { runId: running.runId, startedAt: running.startedAt } : undefined
    },
    stats() {
      const lane = lanes.stats()
      const held = [...waiting.values()].reduce((sum, set) => sum + set.size, 0)
      return { active: lane.active, queued: lane.queued + held }
    },
  }
  tools.addSource(
    createBuiltinToolSource(
      // Getters, not copies: runtimes and tests may set capabilities on deps after the runtime is built.
      createToolServices({
        get env() {
          return deps.env
        },
        get fetch() {
          return deps.fetch
        },
        get network() {
          return deps.network ?? fetchNetworkAccess(deps.fetch)
        },
        get now() {
          return deps.now
        },
        scheduler: deps.scheduler,
        logger: deps.logger.child('tools'),
        get workspaceFiles() {
          return deps.workspaceFiles
        },
        sessions: createSessionAccess(runtime, config),
      }),
    ),
  )
  return runtime
}
