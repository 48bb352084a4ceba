import { UNSUPPORTED_SECTIONS } from '../config/known-ids.js'

/** One form hint (spec/protocol.md §4.3): label, help text, group and order for a dotted path. */
export interface UiHint {
  label?: string
  help?: string
  group?: string
  order?: number
  advanced?: boolean
  sensitive?: boolean
  placeholder?: string
}

/** Text shown on sections this gateway accepts in the file but does not act on. */
export const UNUSED_SECTION_HELP = 'Kept in the file (so it stays valid upstream), not used here.'

// The sections this gateway acts on, in the order a new user needs them, with what each one is for.
const SECTIONS: [string, string, string][] = [
  ['gateway', 'Gateway', 'Port, bind address, auth (token or password), Control UI and the OpenAI-compatible endpoint.'],
  ['agents', 'Agents', 'The model chain (agents.defaults.model), workspace, concurrency and the list of agents.'],
  ['models', 'Models', 'Extra model providers (OpenAI-compatible or Anthropic-compatible servers) and their models.'],
  ['tools', 'Tools', 'Built-in tools the agent may use (memory, web search, web fetch, sessions) and their settings.'],
  ['channels', 'Channels', 'Discord and Telegram: bot tokens, who may talk to the bot (DMs, groups, channels) and commands.'],
  ['mcp', 'MCP servers', 'Remote MCP servers (Streamable HTTP) whose tools join the agent\'s; applied on the next message.'],
  ['cron', 'Cron', 'Scheduled jobs and reminders: on/off and where jobs.json lives.'],
  ['hooks', 'Webhooks', 'HTTP hooks (/hooks/wake, /hooks/agent) that let other services wake the assistant; needs its own token.'],
  ['messages', 'Messages', 'Reply prefix and what happens to messages that arrive while a reply is running (queue mode).'],
  ['session', 'Sessions', 'When sessions reset (daily, idle, per channel) and how conversations map to sessions.'],
  ['commands', 'Commands', 'Slash commands (/new, /model, /stop…) and who may use them.'],
  ['auth', 'Auth', 'Failover cooldowns for model providers.'],
  ['env', 'Environment', 'Environment variables for the gateway; provider keys may live here. Values are secret.'],
  ['bindings', 'Bindings', 'Route a channel, account, guild or peer to a specific agent.'],
  ['logging', 'Logging', 'Log level and console style.'],
  ['plugins', 'Plugins', 'Upstream plugin switches; Discord is built in here.'],
  ['meta', 'Meta', 'Written by upstream tools; safe to leave alone.'],
]

// Fields people look for first, with help that says what a value does here.
const FIELDS: Record<string, UiHint> = {
  'gateway.mode': { label: 'Mode', help: 'Must be "local" for the gateway to start without --allow-unconfigured.' },
  'gateway.port': { label: 'Port', help: 'Listening port; --port and CLAWDBOT_GATEWAY_PORT win over it. Changing it restarts the listener in place.' },
  'gateway.bind': {
    label: 'Bind',
    help: 'loopback: this machine only. lan: all interfaces (needed on Fly; needs a token). auto: lan in containers. custom: gateway.customBindHost. tailnet is upstream-only and acts as loopback here.',
  },
  'gateway.auth.mode': { label: 'Auth mode', help: 'token (default) or password.' },
  'gateway.auth.token': { label: 'Token', help: 'Clients present it to connect; CLAWDBOT_GATEWAY_TOKEN is used when this is empty.', sensitive: true },
  'gateway.auth.password': { label: 'Password', help: 'Used when auth mode is password; CLAWDBOT_GATEWAY_PASSWORD otherwise.', sensitive: true },
  'gateway.controlUi.enabled': { label: 'Control UI', help: 'Serve this Control UI at /.' },
  'gateway.http.endpoints.chatCompletions.enabled': { label: 'OpenAI endpoint', help: 'Serve POST /v1/chat/completions and GET /v1/models (gateway token as the API key).' },
  'agents.defaults.model': { label: 'Model chain', help: 'primary is tried first; fallbacks in order when it is rate limited, overloaded or has no key.' },
  'agents.defaults.model.primary': { label: 'Primary model', placeholder: 'anthropic/claude-opus-4-5' },
  'agents.defaults.model.fallbacks': { label: 'Fallback models', help: 'provider/model refs, tried in order.' },
  'agents.defaults.models': { label: 'Model allowlist', help: 'When set, only these models may be chosen with /new or /model; keys are provider/model refs.' },
  'agents.defaults.workspace': { label: 'Workspace', help: 'Folder with AGENTS.md, SOUL.md and friends; default <state dir>/workspace.' },
  'agents.defaults.maxConcurrent': { label: 'Max concurrent runs', help: 'Runs of different sessions at once (default 4).' },
  'agents.defaults.timeoutSeconds': { label: 'Run timeout (s)', help: 'A model call running longer fails over to the next model.' },
  'agents.list': { label: 'Agents', help: 'Each agent has an id, optional name, identity and model; default: true marks the main one.' },
  'agents.list.*.model': { help: 'Overrides the defaults for this agent. A plain "provider/model" string in the file also works.' },
  'models.providers': { label: 'Providers', help: 'Keyed by provider id; models of a provider are used as <id>/<model id>.' },
  'models.providers.*.apiKey': { sensitive: true, help: 'The key itself, or the name of an environment variable that holds it.' },
  'channels.discord.token': { label: 'Bot token', help: 'DISCORD_BOT_TOKEN is used when this is empty.', sensitive: true },
  'channels.telegram.botToken': { label: 'Bot token', help: 'From @BotFather; TELEGRAM_BOT_TOKEN is used when this is empty.', sensitive: true },
  'channels.telegram.webhookSecret': { label: 'Webhook secret', help: 'Telegram sends it with every update; derived from the bot token when empty.', sensitive: true },
  'mcp.servers': { label: 'Servers', help: 'Keyed by a short name; tools appear as <name>__<tool>. Each needs url; put tokens in headers as ${VAR}.' },
  'mcp.servers.*.headers': { help: 'Static HTTP headers such as Authorization: "Bearer ${NOTES_TOKEN}"; never shown to the model.', sensitive: true },
  'hooks.token': { label: 'Hooks token', help: 'Callers send it as Authorization: Bearer …; must differ from the gateway token.', sensitive: true },
  'channels.discord.dm.policy': { label: 'DM policy', help: 'pairing: strangers get a code to approve; allowlist: only dm.allowFrom; open: anyone; disabled.' },
  'channels.discord.groupPolicy': { label: 'Guild policy', help: 'allowlist: only guilds listed under guilds; open: any guild; disabled.' },
  'channels.discord.guilds': { label: 'Guilds', help: 'Keyed by guild id (or slug): which channels and users the bot answers there.' },
  'channels.discord.accounts': { label: 'Accounts', help: 'More bots, keyed by account id; each takes the same settings as channels.discord.' },
  'messages.queue.mode': { label: 'Queue mode', help: 'collect: merge messages sent during a reply into one follow-up; followup: answer each; interrupt: stop and answer the newest.' },
  'messages.responsePrefix': { label: 'Reply prefix', help: '"auto" puts [Agent name] in front of replies.' },
  'session.reset': { label: 'Reset', help: 'Daily reset hour (default 4) or idle minutes.' },
}

/**
 * Labels, help, groups and order for the config form, plus "kept, not used here" on the upstream sections this
 * gateway ignores (marked advanced, so forms can fold them away).
 */
export function buildFormHints(): Record<string, UiHint> {
  const hints: Record<string, UiHint> = {}
  SECTIONS.forEach(([path, label, help], index) => {
    hints[path] = { label, help, group: 'Used by this gateway', order: index }
  })
  UNSUPPORTED_SECTIONS.forEach((path, index) => {
    hints[path] = { label: `${titleCase(path)} (not used here)`, help: UNUSED_SECTION_HELP, group: 'Kept, not used here', order: 100 + index, advanced: true }
  })
  for (const [path, hint] of Object.entries(FIELDS)) hints[path] = { ...hints[path], ...hint }
  return hints
}

function titleCase(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (first) => first.toUpperCase())
}
