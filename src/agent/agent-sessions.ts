import type { Storage } from 'unstorage'
import type { ResolvedConfig } from '../config/load-config.js'
import { join } from '../config/posix-path.js'
import { getDefaultAgentId, requireKnownAgentId } from '../config/config-lookup.js'
import type { ModelUsage } from '../providers/model-provider.js'
import { matchResetTrigger, resolveResetPolicy, sessionResetType } from '../sessions/reset-policy.js'
import { resetSession, resolveSession } from '../sessions/resolve-session.js'
import type { SessionEntry } from '../sessions/session-entry.js'
import { SessionStore } from '../sessions/session-store.js'
import type { TranscriptEntry } from '../sessions/transcript-entry.js'
import { TranscriptStore } from '../sessions/transcript-store.js'
import type { InboundMessage } from './agent-runner.js'
import { isModelAllowed, notAllowedMessage, parseModelRef } from './model-ref.js'

// How much history a turn loads; trimming to the context window happens afterwards.
const HISTORY_MESSAGES = 200
const GREETING = 'A new session just started. Greet the user in one short sentence and ask what they need.'

/** A session ready for a turn: its entry, the transcript head to link to, history, and the text to send. */
export interface PreparedSession {
  entry: SessionEntry
  headId: string | null
  history: TranscriptEntry[]
  text: string
  /** Set when `/new <model>` named a model that is not allowed; the turn reports it instead of running. */
  refusal?: string
  /** The text is our greeting instruction for a bare `/new`, not something the user wrote. */
  greeting: boolean
}

/**
 * Session bookkeeping for the runtime: one store per agent, reset triggers, staleness, usage counters, and where an
 * agent's workspace and agentDir live. The default workspace is `<state dir>/workspace` (upstream: `~/clawd`) so it
 * survives redeploys on Fly's volume.
 */
export class AgentSessions {
  readonly transcripts: TranscriptStore
  readonly #stores = new Map<string, SessionStore>()

  constructor(
    private readonly options: { storage: Storage; now: () => number; config: () => ResolvedConfig; stateDir: () => string },
  ) {
    this.transcripts = new TranscriptStore({ storage: options.storage })
  }

  /** The agent's session store; throws for an agent the config does not list, before any state exists for it. */
  store(agentId: string): SessionStore {
    let store = this.#stores.get(agentId)
    if (!store) requireKnownAgentId(this.options.config(), agentId)
    if (!store) {
      store = new SessionStore({ storage: this.options.storage, agentId, now: this.options.now })
      this.#stores.set(agentId, store)
    }
    return store
  }

  async prepare(message: InboundMessage): Promise<PreparedSession> {
    const config = this.options.config()
    const store = this.store(message.agentId)
    const trigger = matchResetTrigger(message.text, config.session?.resetTriggers)
    let text = message.text
    let refusal: string | undefined
    let greeting = false
    if (trigger) {
      const { model, rest } = splitModel(trigger.remainder, config)
      if (model && !isModelAllowed(model, config)) refusal = notAllowedMessage(model)
      await resetSession({ store, transcripts: this.transcripts, key: message.sessionKey, now: this.options.now })
      if (model && !refusal) await store.update(message.sessionKey, (current) => current && { ...current, modelOverride: model })
      greeting = rest === ''
      text = rest || GREETING
    }
    const policy = resolveResetPolicy(config.session, { type: sessionResetType(message.sessionKey, { chatType: message.chatType }), channel: message.channel })
    const resolved = await resolveSession({
      store,
      transcripts: this.transcripts,
      key: message.sessionKey,
      now: this.options.now,
      policy,
      channel: message.channel,
      patch: { ...(message.chatType ? { chatType: message.chatType } : {}), ...(message.sessionMeta as Partial<SessionEntry> | undefined) },
    })
    const history = await this.transcripts.read(message.agentId, resolved.entry.sessionId, { limit: HISTORY_MESSAGES })
    const head = history.at(-1)
    return { entry: resolved.entry, headId: head && 'id' in head ? head.id : null, history, text, refusal, greeting }
  }

  append(agentId: string, sessionId: string, entries: TranscriptEntry[]): Promise<void> {
    return this.transcripts.append(agentId, sessionId, entries)
  }

  async recordUsage(message: InboundMessage, ref: string, usage: ModelUsage): Promise<SessionEntry> {
    const parsed = parseModelRef(ref, this.options.config())
    const entry = await this.store(message.agentId).update(message.sessionKey, (current) => {
      if (!current) return current
      return {
        ...current,
        abortedLastRun: false,
        inputTokens: (current.inputTokens ?? 0) + usage.input,
        outputTokens: (current.outputTokens ?? 0) + usage.output,
        totalTokens: (current.totalTokens ?? 0) + usage.totalTokens,
        contextTokens: usage.input + usage.cacheRead + usage.cacheWrite,
        model: parsed.model,
        modelProvider: parsed.provider,
        updatedAt: this.options.now(),
      }
    })
    if (!entry) throw new Error(`session ${message.sessionKey} disappeared during the run`)
    return entry
  }

  async markAborted(message: InboundMessage): Promise<void> {
    await this.store(message.agentId).update(message.sessionKey, (current) => current && { ...current, abortedLastRun: true })
  }

  workspaceFor(agentId: string): string {
    const config = this.options.config()
    const listed = config.agents?.list?.find((agent) => agent.id === agentId)
    const isDefault = agentId === getDefaultAgentId(config)
    if (listed?.workspace) return listed.workspace
    if (isDefault && config.agents?.defaults?.workspace) return config.agents.defaults.workspace
    return join(this.options.stateDir(), isDefault ? 'workspace' : `workspace-${agentId}`)
  }

  agentDirFor(agentId: string): string {
    const listed = this.options.config().agents?.list?.find((agent) => agent.id === agentId)
    return listed?.agentDir ?? join(this.options.stateDir(), 'agents', agentId, 'agent')
  }
}

// `/new openai/gpt-4o` or `/new opus` sets the model; `/new hello` just starts over with a message.
function splitModel(remainder: string, config: ResolvedConfig): { model?: string; rest: string } {
  const [first, ...others] = remainder.split(/\s+/)
  if (!first) return { rest: '' }
  const aliases = Object.values(config.agents?.defaults?.models ?? {}).map((entry) => (entry as { alias?: string })?.alias?.toLowerCase())
  if (first.includes('/') || aliases.includes(first.toLowerCase())) {
    return { model: parseModelRef(first, config).ref, rest: others.join(' ') }
  }
  return { rest: remainder }
}
