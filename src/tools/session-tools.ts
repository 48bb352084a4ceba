import type { ResolvedConfig } from '../config/load-config.js'
import { jsonResult, type AgentTool } from './agent-tool.js'
import type { SessionAccess } from './session-access.js'
import { globToRegExp } from './tool-policy.js'
import { readNumber, readString, type BuiltinToolFactory } from './tool-services.js'

/*
 * sessions_list, sessions_history and sessions_send (spec/agent-tools.md §3.7): look at and talk to the other
 * conversations of this gateway. Other agents' sessions need `tools.agentToAgent.enabled` and the allowlist.
 */

const ENTRY_FIELDS = [
  'label', 'displayName', 'deliveryContext', 'updatedAt', 'sessionId', 'model', 'contextTokens', 'totalTokens', 'thinkingLevel',
  'verboseLevel', 'systemSent', 'abortedLastRun', 'sendPolicy', 'lastChannel', 'lastTo', 'lastAccountId',
] as const

/** `sessions_list`. */
export const createSessionsListTool: BuiltinToolFactory = (services, run) => {
  const sessions = services.sessions
  if (!sessions) return undefined
  return tool('sessions_list', 'Sessions', 'List conversations (sessions) of this gateway, newest first, optionally with their last messages.', {
    kinds: { type: 'array', items: { type: 'string' }, description: 'Only these kinds: main, group, cron, hook, node, other.' },
    limit: { type: 'number', minimum: 1 },
    activeMinutes: { type: 'number', minimum: 1, description: 'Only sessions active in the last N minutes.' },
    messageLimit: { type: 'number', minimum: 0, description: 'Include the last N messages (max 20).' },
  }, [], async (args) => {
    const kinds = (Array.isArray(args.kinds) ? args.kinds : typeof args.kinds === 'string' ? [args.kinds] : []).map((kind) => String(kind).toLowerCase())
    const limit = readNumber(args, 'limit', true)
    const activeMinutes = readNumber(args, 'activeMinutes')
    const messageLimit = Math.min(20, Math.max(0, readNumber(args, 'messageLimit', true) ?? 0))
    const agents = visibleAgents(run.config, run.agentId)
    const rows: Record<string, unknown>[] = []
    for (const agentId of agents) {
      for (const { key, entry } of await sessions.list(agentId)) {
        const kind = kindOf(key)
        if (kinds.length > 0 && !kinds.includes(kind)) continue
        if (activeMinutes && services.now() - entry.updatedAt > activeMinutes * 60_000) continue
        const row: Record<string, unknown> = { key, kind, channel: channelOf(kind, entry) }
        for (const field of ENTRY_FIELDS) if (entry[field] !== undefined) row[field] = entry[field]
        if (messageLimit > 0) row.messages = (await sessions.history(agentId, key, messageLimit * 3)).filter((message) => message.role !== 'toolResult').slice(-messageLimit)
        rows.push(row)
      }
    }
    rows.sort((left, right) => Number(right.updatedAt ?? 0) - Number(left.updatedAt ?? 0))
    const shown = limit ? rows.slice(0, limit) : rows
    return jsonResult({ count: shown.length, sessions: shown })
  })
}

/** `sessions_history`. */
export const createSessionsHistoryTool: BuiltinToolFactory = (services, run) => {
  const sessions = services.sessions
  if (!sessions) return undefined
  return tool('sessions_history', 'Session History', 'Read the messages of another conversation (tool results only with includeTools).', {
    sessionKey: { type: 'string', description: 'Session key (or session id) from sessions_list.' },
    limit: { type: 'number', minimum: 1 },
    includeTools: { type: 'boolean' },
  }, ['sessionKey'], async (args) => {
    const target = await findSession(sessions, run.config, run.agentId, readString(args, 'sessionKey', true))
    if ('status' in target) return jsonResult(target)
    const limit = readNumber(args, 'limit', true) ?? 50
    let messages = await sessions.history(target.agentId, target.key, args.includeTools === true ? limit : limit * 3)
    if (args.includeTools !== true) messages = messages.filter((message) => message.role !== 'toolResult')
    return jsonResult({ sessionKey: target.key, messages: messages.slice(-limit) })
  })
}

/** `sessions_send`: runs another session with a message and (unless timeoutSeconds is 0) waits for its reply. */
export const createSessionsSendTool: BuiltinToolFactory = (services, run) => {
  const sessions = services.sessions
  if (!sessions) return undefined
  return tool('sessions_send', 'Session Send', 'Send a message to another conversation (by sessionKey or label) and return its reply.', {
    sessionKey: { type: 'string' },
    label: { type: 'string' },
    agentId: { type: 'string' },
    message: { type: 'string' },
    timeoutSeconds: { type: 'number', minimum: 0, description: 'How long to wait for the reply (default 30; 0 = do not wait).' },
  }, ['message'], async (args, context) => {
    const message = readString(args, 'message', true)
    const key = readString(args, 'sessionKey')
    const label = readString(args, 'label')
    if (key && label) throw new Error('Provide either sessionKey or label (not both).')
    if (!key && !label) throw new Error('Either sessionKey or label is required')
    const agentId = readString(args, 'agentId') ?? run.agentId
    const target = key
      ? await findSession(sessions, run.config, run.agentId, key)
      : await findByLabel(sessions, run.config, run.agentId, agentId, label!)
    if ('status' in target) return jsonResult(forSend(target))
    // The current run holds this session's lane; waiting on it from inside would only time out.
    if (target.key === sessions.canonicalKey(run.sessionKey)) throw new Error('sessions_send cannot target the current session')
    const timeoutSeconds = readNumber(args, 'timeoutSeconds') ?? 30
    const sent = sessions.send(target.agentId, target.key, message)
    const delivery = { status: 'pending', mode: 'announce' }
    if (timeoutSeconds <= 0) return jsonResult({ runId: sent.runId, status: 'accepted', sessionKey: target.key, delivery })
    let cancel = () => {}
    const timedOut = new Promise<'timeout'>((resolve) => (cancel = services.scheduler.after(timeoutSeconds * 1_000, () => resolve('timeout'))))
    const aborted = new Promise<'aborted'>((resolve) => context.signal.addEventListener('abort', () => resolve('aborted'), { once: true }))
    try {
      const outcome = await Promise.race([sent.done, timedOut, aborted])
      if (outcome === 'aborted') throw Object.assign(new Error('Aborted'), { name: 'AbortError' })
      if (outcome === 'timeout') return jsonResult({ runId: sent.runId, status: 'timeout', error: `no reply within ${timeoutSeconds} s`, sessionKey: target.key })
      if (outcome.status === 'error') return jsonResult({ runId: sent.runId, status: 'error', error: outcome.error, sessionKey: target.key })
      return jsonResult({ runId: sent.runId, status: 'ok', reply: outcome.reply, sessionKey: target.key, delivery })
    } finally {
      cancel()
    }
  })
}

function tool(name: string, label: string, description: string, properties: Record<string, unknown>, required: string[], execute: AgentTool['execute']): AgentTool {
  return { name, label, description, parameters: { type: 'object', properties, required }, execute }
}

function visibleAgents(config: ResolvedConfig, own: string): string[] {
  const others = (config.agents?.list ?? []).map((agent) => agent.id).filter((id) => id !== own && agentToAgentAllowed(config, own, id) === undefined)
  return [own, ...others]
}

// Undefined when allowed, else the forbidden payload with upstream's wording.
function agentToAgentAllowed(config: ResolvedConfig, from: string, to: string): { status: 'forbidden'; error: string } | undefined {
  if (from === to) return undefined
  const policy = config.tools?.agentToAgent
  if (!policy?.enabled) {
    return { status: 'forbidden', error: 'Agent-to-agent history is disabled. Set tools.agentToAgent.enabled=true to allow cross-agent access.' }
  }
  const allow = policy.allow ?? []
  const matches = (id: string) => allow.length === 0 || allow.some((pattern) => globToRegExp(pattern.toLowerCase()).test(id.toLowerCase()))
  if (!matches(from) || !matches(to)) return { status: 'forbidden', error: 'Agent-to-agent history denied by tools.agentToAgent.allow.' }
  return undefined
}

async function findSession(sessions: SessionAccess, config: ResolvedConfig, own: string, keyOrId: string) {
  const key = sessions.canonicalKey(keyOrId)
  const agentId = /^agent:([^:]+):/.exec(key)?.[1] ?? own
  const forbidden = agentToAgentAllowed(config, own, agentId)
  if (forbidden) return forbidden
  const listed = await sessions.list(agentId)
  const found = listed.find((row) => row.key === key) ?? listed.find((row) => row.entry.sessionId === keyOrId)
  if (!found) throw new Error(`Session not found: ${keyOrId}`)
  return { agentId, key: found.key }
}

async function findByLabel(sessions: SessionAccess, config: ResolvedConfig, own: string, agentId: string, label: string) {
  const forbidden = agentToAgentAllowed(config, own, agentId)
  if (forbidden) return forbidden
  const found = (await sessions.list(agentId)).find((row) => String(row.entry.label ?? '').toLowerCase() === label.toLowerCase())
  if (!found) throw new Error(`No session with label ${label}`)
  return { agentId, key: found.key }
}

// Sends use upstream's messaging wording for the same refusal.
function forSend(forbidden: { status: 'forbidden'; error: string }): { status: 'forbidden'; error: string } {
  return { ...forbidden, error: forbidden.error.replace('history is disabled', 'messaging is disabled').replace('cross-agent access', 'cross-agent sends') }
}

function kindOf(key: string): string {
  const rest = key.replace(/^agent:[^:]+:/, '')
  if (rest === 'main') return 'main'
  if (rest.startsWith('cron:')) return 'cron'
  if (rest.startsWith('hook:')) return 'hook'
  if (rest.startsWith('node:')) return 'node'
  if (rest.includes(':group:') || rest.includes(':channel:')) return 'group'
  return 'other'
}

function channelOf(kind: string, entry: Record<string, unknown>): string {
  if (kind === 'cron' || kind === 'hook' || kind === 'node') return 'internal'
  return String(entry.lastChannel ?? entry.channel ?? 'unknown')
}
