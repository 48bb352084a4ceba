/**
 * Upstream's per-channel health entry (spec/agent-api.md §5): the channel summary plus `accounts` keyed by account
 * id, which upstream's `clawdbot health` reads for its `Discord: ok (@bot) (12ms)` line.
 */
export type ChannelHealth = Record<string, unknown> & { accountId: string; configured: boolean; accounts: Record<string, Record<string, unknown>> }

/**
 * Turns one entry of the channel status provider (`channels.status` shape: `accounts` as an array) into upstream's
 * health shape. Probe fields the CLI prints (`status`, `error`) are always present so it never reads `undefined`.
 */
export function toChannelHealth(status: Record<string, unknown>): ChannelHealth {
  const { accounts, defaultAccountId: _defaultAccountId, ...summary } = status
  const list = Array.isArray(accounts) ? (accounts as Record<string, unknown>[]) : [summary]
  const byId: Record<string, Record<string, unknown>> = {}
  for (const account of list) {
    const accountId = typeof account.accountId === 'string' ? account.accountId : 'default'
    byId[accountId] = toAccountHealth({ ...account, accountId })
  }
  const head = toAccountHealth(summary)
  return { ...head, accountId: typeof head.accountId === 'string' ? head.accountId : 'default', configured: head.configured === true, accounts: byId }
}

function toAccountHealth(account: Record<string, unknown>): Record<string, unknown> {
  const probe = account.probe as { ok?: unknown; error?: unknown; elapsedMs?: unknown; bot?: unknown; application?: unknown } | undefined
  return {
    ...account,
    lastError: typeof account.lastError === 'string' ? account.lastError : null,
    lastProbeAt: typeof account.lastProbeAt === 'number' ? account.lastProbeAt : null,
    ...(probe === undefined
      ? {}
      : {
          probe: {
            ok: probe.ok === true,
            status: null,
            error: typeof probe.error === 'string' ? probe.error : null,
            ...(typeof probe.elapsedMs === 'number' ? { elapsedMs: probe.elapsedMs } : {}),
            ...(probe.bot === undefined ? {} : { bot: probe.bot }),
            ...(probe.application === undefined ? {} : { application: probe.application }),
          },
        }),
  }
}
