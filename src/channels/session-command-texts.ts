import type { AgentRunner } from '../agent/agent-runner.js'
import { checkModelChoice } from '../agent/check-model-choice.js'
import { listAllowedModels, resolveEffectiveModel } from '../agent/model-ref.js'
import type { AppDeps } from '../deps.js'

/** Per-session model control a channel's `/model` command needs from the runtime (the session store's `modelOverride`). */
export interface SessionModelControl {
  /** The session's model override, if one is set. */
  getModel(sessionKey: string, agentId: string): Promise<string | undefined>
  /** Sets the override; the caller has already checked the allowlist. */
  setModel(sessionKey: string, agentId: string, ref: string): Promise<void>
}

/** What the command texts read: config, clock and version from deps, the runner's state, the model override. */
export interface SessionCommandContext {
  deps: AppDeps
  runner: AgentRunner
  sessions?: SessionModelControl
  /** `Discord`, `Telegram`: named when a model cannot be switched from that channel. */
  channelLabel: string
}

/** The conversation a command acts on. */
export interface SessionCommandTarget {
  agentId: string
  sessionKey: string
}

/** `/model` without a name lists the allowed models; with one it checks the allowlist and sets the override. */
export async function modelCommandText(context: SessionCommandContext, target: SessionCommandTarget, requested: unknown): Promise<string> {
  const config = context.deps.state.config
  const override = await context.sessions?.getModel(target.sessionKey, target.agentId)
  const current = resolveEffectiveModel({ config, agentId: target.agentId, sessionOverride: override })
  if (typeof requested !== 'string' || requested.trim() === '') {
    const available = listAllowedModels(config).map((model) => `• \`${model.ref}\`${model.alias === undefined ? '' : ` (${model.alias})`}`)
    return [`Current model: \`${current}\``, '', 'Available:', ...available].join('\n')
  }
  // Client-side choices are not trusted: check the provider and the allowlist again (spec/discord.md §4).
  const choice = checkModelChoice(requested, config)
  if (!choice.ok) return choice.message
  if (context.sessions === undefined) return `Switching models from ${context.channelLabel} is not available on this gateway yet.`
  await context.sessions.setModel(target.sessionKey, target.agentId, choice.ref)
  return `Model set to \`${choice.ref}\` for this conversation.${choice.warning ? `\n⚠️ ${choice.warning}` : ''}`
}

/** `/status`: agent and model of the conversation, whether it is running, and the gateway's load. */
export async function statusCommandText(context: SessionCommandContext, target: SessionCommandTarget): Promise<string> {
  const { runner, sessions, deps } = context
  const override = await sessions?.getModel(target.sessionKey, target.agentId)
  const model = resolveEffectiveModel({ config: deps.state.config, agentId: target.agentId, sessionOverride: override })
  const active = runner.activeRun(target.sessionKey)
  const stats = runner.stats()
  const running = active === undefined ? 'idle' : `running for ${Math.round((deps.now() - active.startedAt) / 1000)} s`
  return [
    `Agent: \`${target.agentId}\` · model \`${model}\``,
    `This conversation: ${running}`,
    `Gateway: ${stats.active} run(s) active, ${stats.queued} queued · version ${deps.version}`,
  ].join('\n')
}
