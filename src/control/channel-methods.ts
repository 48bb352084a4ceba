import { z } from 'zod'
import type { AppDeps } from '../deps.js'
import { isRecord } from './frame-text.js'
import { defineMethod, type ChannelStatusProvider, type MethodDefinition } from './methods.js'

/** Card labels for the channels this gateway implements; the UI orders cards by `channelMeta`. */
const CHANNEL_LABELS: Record<string, { label: string; detailLabel: string }> = {
  discord: { label: 'Discord', detailLabel: 'Discord Bot' },
  telegram: { label: 'Telegram', detailLabel: 'Telegram Bot' },
}

const ChannelsStatusParams = z.looseObject({ probe: z.boolean().optional(), timeoutMs: z.number().optional() })

/**
 * `channels.status` (spec §4.6). Live state comes from the optional provider, as `{ [channelId]: summary }` where a
 * summary may carry `accounts` and `defaultAccountId`. Without one, Discord is still listed from config facts, so the
 * UI shows our one card instead of its eight built-in "n/a" cards.
 */
export function createChannelMethods(): MethodDefinition[] {
  return [
    defineMethod('channels.status', ChannelsStatusParams, async ({ deps, channelStatus }) => {
      const reported = await readChannels(deps, channelStatus)
      const ids = Object.keys(reported)
      const labelOf = (id: string) => CHANNEL_LABELS[id] ?? { label: id, detailLabel: id }
      const channels: Record<string, unknown> = {}
      const channelAccounts: Record<string, unknown[]> = {}
      const channelDefaultAccountId: Record<string, string> = {}
      for (const id of ids) {
        const { accounts, defaultAccountId, ...summary } = reported[id]!
        channels[id] = summary
        channelAccounts[id] = Array.isArray(accounts) ? accounts : []
        channelDefaultAccountId[id] = typeof defaultAccountId === 'string' ? defaultAccountId : 'default'
      }
      return {
        ts: deps.now(),
        channelOrder: ids,
        channelLabels: Object.fromEntries(ids.map((id) => [id, labelOf(id).label])),
        channelDetailLabels: Object.fromEntries(ids.map((id) => [id, labelOf(id).detailLabel])),
        channelMeta: ids.map((id) => ({ id, ...labelOf(id) })),
        channels,
        channelAccounts,
        channelDefaultAccountId,
      }
    }),
  ]
}

async function readChannels(deps: AppDeps, provider: ChannelStatusProvider | undefined): Promise<Record<string, Record<string, unknown>>> {
  if (provider) {
    const reported = await provider()
    return Object.fromEntries(Object.entries(reported).map(([id, value]) => [id, isRecord(value) ? value : {}]))
  }
  const discord = deps.state.config.channels?.discord
  const configured = Boolean(discord?.token) || Boolean(deps.env.DISCORD_BOT_TOKEN)
  if (!discord && !configured) return {}
  return { discord: { configured, running: false, connected: false, lastError: null } }
}
