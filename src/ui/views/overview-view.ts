import type { AppContext, View } from '../app-context.js'
import { copyButton } from '../lib/dialog.js'
import { h, icon, ICONS, replaceChildren, type Child } from '../lib/dom.js'
import { duration, errorText, timeAgo } from '../lib/format.js'
import { parseLogLine } from '../lib/log-line.js'
import { renderMcpCard, type McpServerInfo } from './mcp-card.js'
import type { ConfigSnapshot, LogsTail, ModelInfo, SessionsList } from '../lib/protocol-types.js'

interface Health {
  ok?: boolean
  phase?: string
  version?: string
  uptimeMs?: number
  listening?: string[]
  config?: { path?: string; lastReload?: { at?: number; ok?: boolean; message?: string } }
}

interface ModelChain {
  usable: boolean
  models: { ref: string; role: string; usable: boolean; problem?: string }[]
}

interface DiscordStatus {
  configured?: boolean
  running?: boolean
  connected?: boolean
  publicKeyPresent?: boolean
  commandsRegistered?: number
  lastInteractionAt?: number
  lastError?: string | null
  probe?: { ok: boolean; bot?: { username: string }; error?: string }
}

interface TelegramStatus {
  configured?: boolean
  running?: boolean
  tokenSource?: string
  webhookPath?: string
  webhookUrl?: string
  lastInboundAt?: number
  lastError?: string | null
  probe?: {
    ok: boolean
    error?: string
    bot?: { username?: string }
    webhook?: { url: string; urlMatches: boolean; pendingUpdateCount?: number; lastErrorDate?: number; lastErrorMessage?: string }
  }
}

/**
 * Overview: health, uptime, version, model chain, Discord status with the interactions URL, Telegram's webhook (is
 * Telegram calling our URL, what is pending, its last error), and recent errors.
 */
export function createOverviewView(context: AppContext): View {
  const heading = h('h1', { tabindex: '-1' }, 'Overview')
  const tiles = h('div', { class: 'tiles' })
  const models = h('div', { class: 'card' })
  const discord = h('div', { class: 'card' })
  const telegram = h('div', { class: 'card' })
  const errors = h('div', { class: 'card wide' })
  const mcp = h('div', { class: 'card', id: 'mcp-card' })
  const error = h('p', { class: 'panel-error', role: 'alert', hidden: true })
  const refresh = h('button', { type: 'button', class: 'button', onclick: () => void load() }, icon(ICONS.refresh), h('span', null, 'Refresh'))
  const element = h('section', { class: 'view page' }, h('div', { class: 'page-head' }, heading, refresh), error, tiles, h('div', { class: 'cards' }, models, discord, telegram, mcp, errors))

  async function load(): Promise<void> {
    const request = <T>(method: string, params: unknown = {}) => context.client.request<T>(method, params).then((value) => ({ ok: true as const, value }), (reason: unknown) => ({ ok: false as const, reason }))
    const [health, channels, modelList, sessions, logs, config] = await Promise.all([
      request<Health>('health'),
      request<{ channels: { discord?: DiscordStatus; telegram?: TelegramStatus } }>('channels.status', { probe: false, timeoutMs: 8000 }),
      request<{ models: ModelInfo[]; chain?: ModelChain }>('models.list'),
      request<SessionsList>('sessions.list', { includeGlobal: true, limit: 1 }),
      request<LogsTail>('logs.tail', { limit: 500, maxBytes: 250_000 }),
      request<ConfigSnapshot>('config.get'),
    ])
    const mcpStatus = await request<{ servers: McpServerInfo[] }>('mcp.status')
    error.hidden = health.ok
    if (!health.ok) error.textContent = `Health check failed: ${errorText(health.reason)}`
    const hello = context.hello()
    const value = health.ok ? health.value : {}
    const chain = modelList.ok ? modelList.value.chain : undefined
    // A running process with no callable model is not "OK" to someone about to chat.
    const unusable = chain !== undefined && !chain.usable
    const reload = value.config?.lastReload
    replaceChildren(
      tiles,
      tile('Health', value.ok ? (unusable ? 'No usable model' : 'OK') : value.phase ?? 'unknown', value.ok && !unusable ? 'ok' : 'bad'),
      tile('Uptime', duration(value.uptimeMs ?? hello?.snapshot.uptimeMs)),
      tile('Version', value.version ?? hello?.server.version ?? 'n/a'),
      tile('Sessions', sessions.ok ? String(sessions.value.count) : 'n/a'),
      tile(
        'Last config reload',
        reload?.at ? `${reload.ok === false ? 'failed' : 'applied'} ${timeAgo(reload.at)}` : 'none',
        reload?.ok === false ? 'bad' : undefined,
        reload?.ok === false ? reload.message : undefined,
      ),
    )
    renderModels(modelList.ok ? modelList.value.models : [], config.ok ? config.value.config : {}, chain)
    renderDiscord(channels.ok ? channels.value.channels?.discord : undefined, channels.ok ? undefined : errorText(channels.reason))
    renderTelegram(channels.ok ? channels.value.channels?.telegram : undefined, channels.ok ? undefined : errorText(channels.reason))
    renderMcpCard(mcp, mcpStatus.ok ? mcpStatus.value.servers : undefined, mcpStatus.ok ? undefined : errorText(mcpStatus.reason))
    renderErrors(logs.ok ? logs.value.lines : [], logs.ok ? undefined : errorText(logs.reason))
  }

  function renderTelegram(status: TelegramStatus | undefined, failure: string | undefined): void {
    const children: Child[] = [h('h2', null, 'Telegram')]
    if (failure) children.push(h('p', { class: 'panel-error' }, failure))
    else if (!status || status.configured === false) {
      children.push(h('p', { class: 'muted' }, 'Telegram is not configured. Create a bot with @BotFather and set its token as TELEGRAM_BOT_TOKEN (on Fly: fly secrets set TELEGRAM_BOT_TOKEN=…); the webhook is registered at start-up.'))
      if (status?.lastError) children.push(h('dl', { class: 'facts' }, fact('Last error', status.lastError, 'bad')))
    } else {
      const webhook = status.probe?.webhook
      const registered = webhook === undefined ? 'unknown' : webhook.url === '' ? 'none' : webhook.urlMatches ? 'matches ours' : `another URL: ${webhook.url}`
      children.push(
        h(
          'dl',
          { class: 'facts' },
          fact('Status', status.running ? 'running' : 'configured, not running', status.running ? 'ok' : 'warn'),
          status.probe ? fact('Bot', status.probe.ok ? `@${status.probe.bot?.username ?? '?'}` : status.probe.error ?? 'probe failed', status.probe.ok ? 'ok' : 'bad') : null,
          fact('Registered webhook', registered, webhook?.urlMatches ? 'ok' : 'bad'),
          fact('Pending updates', webhook?.pendingUpdateCount === undefined ? 'n/a' : String(webhook.pendingUpdateCount), (webhook?.pendingUpdateCount ?? 0) > 0 ? 'warn' : 'ok'),
          webhook?.lastErrorMessage ? fact('Telegram delivery error', `${webhook.lastErrorMessage}${webhook.lastErrorDate ? ` (${timeAgo(webhook.lastErrorDate * 1000)})` : ''}`, 'bad') : null,
          fact('Last update', timeAgo(status.lastInboundAt)),
          status.lastError ? fact('Last error', status.lastError, 'bad') : null,
        ),
      )
    }
    const url = status?.webhookUrl ?? `${location.origin}${status?.webhookPath ?? '/telegram-webhook'}`
    children.push(
      h('p', { class: 'field-label' }, 'Webhook URL'),
      h('div', { class: 'copy-row' }, h('code', { class: 'copy-value', id: 'telegram-webhook-url' }, url), copyButton(() => url)),
      h('p', { class: 'field-help' }, 'Registered with Telegram automatically (setWebhook) from channels.telegram.webhookUrl, CLAWDBOT_PUBLIC_URL or the Fly app name. Only one URL per bot token: a second deployment with the same token takes the traffic.'),
    )
    replaceChildren(telegram, children)
  }

  function renderModels(list: ModelInfo[], config: Record<string, unknown>, status: ModelChain | undefined): void {
    // The gateway's own check (keys, providers) when it sent one; otherwise the chain as the config file states it.
    const chain: ModelChain['models'] = status?.models ?? modelChain(config, list).map((ref, index) => ({ ref, role: index === 0 ? 'primary' : 'fallback', usable: true }))
    replaceChildren(
      models,
      h('h2', null, 'Model chain'),
      status !== undefined && !status.usable ? h('p', { class: 'panel-error', role: 'alert' }, 'No model in the chain can be called, so every chat will fail. Fix the problems below.') : null,
      chain.length === 0
        ? h('p', { class: 'muted' }, 'No models configured.')
        : h(
            'ol',
            { class: 'chain' },
            chain.map((model, index) =>
              h(
                'li',
                { class: model.usable ? null : 'unusable' },
                h('code', null, model.ref),
                h('span', { class: 'badge subtle' }, index === 0 ? 'primary' : `fallback ${index}`),
                model.usable ? null : h('span', { class: 'badge bad' }, 'not usable'),
                model.problem ? h('p', { class: 'field-help problem' }, model.problem) : null,
              ),
            ),
          ),
      h('p', { class: 'field-help' }, 'Set in agents.defaults.model (Config). A failing model falls over to the next.'),
    )
  }

  function renderDiscord(status: DiscordStatus | undefined, failure: string | undefined): void {
    const url = `${location.origin}/discord/interactions`
    const children: Child[] = [h('h2', null, 'Discord')]
    if (failure) children.push(h('p', { class: 'panel-error' }, failure))
    else if (!status || status.configured === false) children.push(h('p', { class: 'muted' }, 'Discord is not configured. Set the bot token as DISCORD_BOT_TOKEN (on Fly: fly secrets set DISCORD_BOT_TOKEN=…) or as channels.discord.token in Config; the application id and public key are looked up with it.'))
    else {
      children.push(
        h(
          'dl',
          { class: 'facts' },
          fact('Status', status.running ? 'running' : status.configured ? 'configured, not running' : 'not configured', status.running ? 'ok' : 'warn'),
          fact('Public key', status.publicKeyPresent ? 'ok' : 'missing', status.publicKeyPresent ? 'ok' : 'bad'),
          fact('Commands registered', String(status.commandsRegistered ?? 0), (status.commandsRegistered ?? 0) > 0 ? 'ok' : 'warn'),
          fact('Last interaction', timeAgo(status.lastInteractionAt)),
          status.probe ? fact('Bot', status.probe.ok ? status.probe.bot?.username ?? 'ok' : status.probe.error ?? 'probe failed', status.probe.ok ? 'ok' : 'bad') : null,
          status.lastError ? fact('Last error', status.lastError, 'bad') : null,
        ),
      )
    }
    children.push(
      h('p', { class: 'field-label' }, 'Interactions endpoint URL'),
      h('div', { class: 'copy-row' }, h('code', { class: 'copy-value', id: 'interactions-url' }, url), copyButton(() => url)),
      h('p', { class: 'field-help' }, 'Paste it into the Discord developer portal: your application → General Information → Interactions Endpoint URL.'),
    )
    replaceChildren(discord, children)
  }

  function renderErrors(lines: string[], failure: string | undefined): void {
    const recent = lines.map(parseLogLine).filter((entry) => entry.level === 'error' || entry.level === 'fatal' || entry.level === 'warn').slice(-8).reverse()
    replaceChildren(
      errors,
      h('div', { class: 'card-head' }, h('h2', null, 'Recent errors and warnings'), h('a', { href: '/logs', 'data-nav': 'logs', class: 'link' }, 'Open logs')),
      failure
        ? h('p', { class: 'panel-error' }, failure)
        : recent.length === 0
          ? h('p', { class: 'muted' }, 'None. All quiet.')
          : h('ul', { class: 'recent-errors' }, recent.map((entry) => h('li', { class: `level-${entry.level}` }, h('span', { class: 'log-level' }, entry.level.toUpperCase()), h('time', { class: 'log-time' }, entry.time ? new Date(entry.time).toLocaleTimeString() : ''), entry.subsystem ? h('span', { class: 'log-subsystem' }, entry.subsystem) : null, h('span', { class: 'log-message' }, entry.message)))),
    )
  }

  return {
    id: 'overview',
    title: 'Overview',
    element,
    activate: () => void load(),
    deactivate() {},
    connected: () => void load(),
    focusTarget: () => heading,
  }
}

function tile(label: string, value: string, tone?: 'ok' | 'bad', detail?: string): HTMLElement {
  return h(
    'div',
    { class: `tile${tone ? ` ${tone}` : ''}` },
    h('p', { class: 'tile-label' }, label),
    h('p', { class: 'tile-value' }, value),
    detail ? h('p', { class: 'tile-detail' }, detail) : null,
  )
}

function fact(label: string, value: string, tone?: 'ok' | 'warn' | 'bad'): HTMLElement[] {
  return [h('dt', null, label), h('dd', null, tone ? h('span', { class: `dot ${tone}`, 'aria-hidden': 'true' }) : null, value)] as HTMLElement[]
}

/** Primary then fallbacks from the config file; the first listed model when the file sets none. */
function modelChain(config: Record<string, unknown>, list: ModelInfo[]): string[] {
  const agents = config.agents as { defaults?: { model?: { primary?: string; fallbacks?: string[] } } } | undefined
  const model = agents?.defaults?.model
  const primary = model?.primary ?? (list[0] ? `${list[0].provider}/${list[0].id}` : undefined)
  return [primary, ...(model?.fallbacks ?? [])].filter((ref): ref is string => typeof ref === 'string')
}
