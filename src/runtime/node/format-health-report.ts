/**
 * The human-readable `health` output for a full `/api/health` report: one line per part a user checks when
 * something is off (models, Discord, sessions, config), each saying what is wrong and what to set.
 */
export function formatHealthReport(base: string, body: Record<string, unknown>, now: number): string[] {
  const uptime = typeof body.uptimeMs === 'number' ? formatDuration(body.uptimeMs) : '?'
  const lines = [`Gateway healthy at ${base} (version ${String(body.version ?? '?')}, up ${uptime})`]
  // The public /health has only liveness facts; the rest needs the token.
  if (body.channels === undefined) return [...lines, 'Pass --token (or set CLAWDBOT_GATEWAY_TOKEN) to see models, Discord, sessions and config.']
  const chain = body.modelChain as { usable?: boolean; models?: { ref: string; role: string; usable: boolean; problem?: string }[] } | undefined
  if (chain?.models) {
    lines.push(`Models: ${chain.usable ? 'usable' : 'NOT USABLE: every chat will fail'}`)
    for (const model of chain.models) lines.push(`  ${model.ref} (${model.role}): ${model.usable ? 'ok' : model.problem ?? 'not usable'}`)
  }
  const discord = (body.channels as Record<string, DiscordSummary> | undefined)?.discord
  lines.push(`Discord: ${describeDiscord(discord, now)}`)
  const sessions = body.sessions as { count?: number } | undefined
  if (sessions) lines.push(`Sessions: ${sessions.count ?? 0} (default agent ${String(body.defaultAgentId ?? 'main')})`)
  const config = body.config as { path?: string; exists?: boolean; lastReload?: { at?: number; ok?: boolean; message?: string } } | undefined
  if (config) {
    const reload = config.lastReload
    const reloadText = reload?.at ? `; last reload ${ago(reload.at, now)} ${reload.ok === false ? `FAILED: ${reload.message ?? ''}` : 'ok'}` : ''
    lines.push(`Config: ${config.exists === false ? `no file (built-in defaults; create ${config.path ?? 'clawdbot.json'})` : config.path ?? '?'}${reloadText}`)
  }
  return lines
}

interface DiscordSummary {
  running?: boolean
  configured?: boolean
  commandsRegistered?: number
  lastInteractionAt?: number
  lastError?: string | null
  probe?: { ok: boolean; bot?: { username?: string; id?: string }; error?: string }
}

function describeDiscord(discord: DiscordSummary | undefined, now: number): string {
  if (discord === undefined || (!discord.configured && !discord.running && !discord.lastError)) return 'not configured (set DISCORD_BOT_TOKEN to enable it)'
  const parts = [discord.running ? 'running' : discord.configured ? 'configured, not running' : 'not configured']
  if (discord.probe) parts.push(discord.probe.ok ? `bot ${discord.probe.bot?.username ?? discord.probe.bot?.id ?? 'ok'}` : `probe failed: ${discord.probe.error ?? 'unknown error'}`)
  parts.push(`${discord.commandsRegistered ?? 0} commands registered`)
  parts.push(discord.lastInteractionAt ? `last interaction ${ago(discord.lastInteractionAt, now)}` : 'no interactions yet')
  if (discord.lastError) parts.push(`last error: ${discord.lastError}`)
  return parts.join('; ')
}

function ago(at: number, now: number): string {
  return `${formatDuration(Math.max(0, now - at))} ago`
}

/** `1d 2h 3m 4s`, leaving out leading zero units. */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000)
  const parts = [[Math.floor(seconds / 86_400), 'd'], [Math.floor(seconds / 3600) % 24, 'h'], [Math.floor(seconds / 60) % 60, 'm'], [seconds % 60, 's']] as const
  return parts.filter(([value], index) => value > 0 || index === 3).map(([value, unit]) => `${value}${unit}`).join(' ')
}
