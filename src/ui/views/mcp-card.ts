import { h, replaceChildren, type Child } from '../lib/dom.js'
import { timeAgo } from '../lib/format.js'

/** One server as `mcp.status` reports it (src/mcp/mcp-server-connection.ts, `McpServerStatus`). */
export interface McpServerInfo {
  name: string
  url: string
  transport: string
  state: 'connecting' | 'connected' | 'idle' | 'error' | 'disabled'
  toolCount: number
  lastError?: string
  connectLatencyMs?: number
  lastCallLatencyMs?: number
  connectedAt?: number
}

const TONE: Record<McpServerInfo['state'], 'ok' | 'warn' | 'bad'> = { connected: 'ok', idle: 'ok', connecting: 'warn', disabled: 'warn', error: 'bad' }

/** The Overview's MCP card: each configured server with its state, tool count, latency and last error. */
export function renderMcpCard(card: HTMLElement, servers: McpServerInfo[] | undefined, failure: string | undefined): void {
  const children: Child[] = [h('h2', null, 'MCP servers')]
  if (failure) children.push(h('p', { class: 'panel-error' }, failure))
  else if (!servers || servers.length === 0) {
    children.push(h('p', { class: 'muted' }, 'No MCP servers configured. Add one under mcp.servers in Config (url, and headers such as Authorization: "Bearer ${TOKEN}"); its tools join the assistant\'s on the next message.'))
  } else {
    children.push(
      h(
        'ul',
        { class: 'mcp-servers' },
        servers.map((server) =>
          h(
            'li',
            { 'data-mcp-server': server.name },
            h('span', { class: `dot ${TONE[server.state]}`, 'aria-hidden': 'true' }),
            h('strong', null, server.name),
            ' ',
            h('span', { class: 'badge subtle' }, server.state === 'idle' ? 'idle (reconnects on use)' : server.state),
            ' ',
            h('span', { class: 'muted' }, `${server.toolCount} tool${server.toolCount === 1 ? '' : 's'}`),
            server.connectLatencyMs !== undefined ? h('span', { class: 'muted' }, ` · connect ${server.connectLatencyMs} ms`) : null,
            server.lastCallLatencyMs !== undefined ? h('span', { class: 'muted' }, ` · last call ${server.lastCallLatencyMs} ms`) : null,
            server.connectedAt !== undefined ? h('span', { class: 'muted' }, ` · since ${timeAgo(server.connectedAt)}`) : null,
            h('p', { class: 'field-help' }, h('code', null, server.url), ` (${server.transport})`),
            server.lastError && server.state !== 'connected' ? h('p', { class: 'field-help problem' }, server.lastError) : null,
          ),
        ),
      ),
    )
  }
  replaceChildren(card, children)
}
