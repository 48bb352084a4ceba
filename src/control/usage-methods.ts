import { z } from 'zod'
import type { AgentRuntime } from '../agent/agent-runtime.js'
import { findModelPrice, priceUsage } from '../agent/model-prices.js'
import { getDefaultAgentId } from '../config/config-lookup.js'
import type { AppDeps } from '../deps.js'
import { DedupeCache } from './dedupe-cache.js'
import { defineMethod, NoParams, type MethodDefinition } from './methods.js'

const DAY_MS = 86_400_000
const DEFAULT_DAYS = 30
const CACHE_MS = 30_000

/** One day (or the totals) of `usage.cost`. */
interface CostRow {
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
  totalTokens: number
  totalCost: number
  missingCostEntries: number
}

/**
 * `usage.status` and `usage.cost` (spec/agent-api.md §4). We use plain API keys, which have no quota API, so
 * `usage.status` is upstream's own answer for that case. `usage.cost` adds up the token usage recorded on each
 * reply in the default agent's transcripts, per UTC day, priced from the config or our table of estimates.
 */
export function createUsageMethods(runtime: AgentRuntime): MethodDefinition[] {
  const caches = new WeakMap<AppDeps, DedupeCache<Promise<unknown>>>()
  return [
    defineMethod('usage.status', NoParams, ({ deps }) => ({ updatedAt: deps.now(), providers: [] })),
    defineMethod('usage.cost', z.looseObject({ days: z.unknown().optional() }), ({ deps }, params) => {
      const days = toDays(params.days)
      let cache = caches.get(deps)
      if (cache === undefined) caches.set(deps, (cache = new DedupeCache({ ttlMs: CACHE_MS, maxEntries: 64, now: deps.now })))
      const cached = cache.get(String(days))
      if (cached !== undefined) return cached
      const result = summarizeCost(deps, runtime, days)
      // A failed read is not cached: the next call tries again.
      result.catch(() => undefined)
      cache.set(String(days), result)
      return result
    }),
  ]
}

function toDays(raw: unknown): number {
  const value = Math.floor(Number(raw ?? DEFAULT_DAYS))
  return Number.isFinite(value) && value >= 1 ? value : DEFAULT_DAYS
}

async function summarizeCost(deps: AppDeps, runtime: AgentRuntime, days: number) {
  const now = deps.now()
  const config = deps.state.config
  // The window ends today and covers `days` calendar days (UTC, the zone a Fly machine runs in).
  const since = Math.floor(now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS
  const agentId = getDefaultAgentId(config)
  const daily = new Map<string, CostRow>()
  const totals = emptyRow()
  for (const { entry } of await runtime.sessions.store(agentId).list()) {
    if (entry.updatedAt < since) continue
    for (const line of await runtime.sessions.transcripts.read(agentId, entry.sessionId)) {
      if (line.type !== 'message' || line.message.role !== 'assistant') continue
      const { usage, timestamp, provider, model } = line.message
      if (usage === undefined || timestamp < since || (usage.totalTokens === 0 && usage.cost?.total === undefined)) continue
      const price = provider && model ? findModelPrice(config, provider, model) : undefined
      const cost = usage.cost?.total ?? (price === undefined ? undefined : priceUsage(price, usage))
      const date = new Date(timestamp).toISOString().slice(0, 10)
      const row = daily.get(date) ?? emptyRow()
      daily.set(date, row)
      for (const target of [row, totals]) {
        target.input += usage.input
        target.output += usage.output
        target.cacheRead += usage.cacheRead
        target.cacheWrite += usage.cacheWrite
        target.totalTokens += usage.totalTokens
        if (cost === undefined) target.missingCostEntries += 1
        else target.totalCost += cost
      }
    }
  }
  const rows = [...daily].sort(([left], [right]) => left.localeCompare(right)).map(([date, row]) => ({ date, ...row }))
  return { updatedAt: now, days, daily: rows, totals }
}

function emptyRow(): CostRow {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0, totalCost: 0, missingCostEntries: 0 }
}
