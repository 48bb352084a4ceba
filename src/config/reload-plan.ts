import { isPlainObject } from './config-issue.js'
import { IMPLEMENTED_CHANNEL_IDS, KNOWN_CHANNEL_IDS } from './known-ids.js'

/** `gateway.reload.mode`. */
export type ReloadMode = 'off' | 'hot' | 'restart' | 'hybrid'

/** What a config change requires, with the paths that led there. */
export interface ReloadPlan {
  kind: 'none' | 'hot' | 'restart'
  restartPaths: string[]
  hotPaths: string[]
  /** Channels to restart in place (for Discord: swap its config, re-register commands if they changed). */
  channelRestarts: string[]
}

/** Sorted dot paths whose values differ; plain objects are compared key by key, arrays and leaves whole. */
export function diffConfigPaths(previous: unknown, next: unknown): string[] {
  const paths: string[] = []
  collectDifferences(previous, next, '', paths)
  return paths.sort()
}

/**
 * Decides between doing nothing, a hot reload and an in-process restart. Each path takes the first
 * rule whose prefix matches it (§3.5); unmatched paths need a restart.
 */
export function planReload(paths: readonly string[], mode: ReloadMode): ReloadPlan {
  const restartPaths: string[] = []
  const hotPaths: string[] = []
  const channelRestarts = new Set<string>()
  const relevant = paths.filter((path) => classify(path).kind !== 'ignore')
  for (const path of relevant) {
    const rule = classify(path)
    if (rule.kind === 'restart') restartPaths.push(path)
    if (rule.kind === 'hot') hotPaths.push(path)
    if (rule.kind === 'hot' && rule.channel !== undefined) channelRestarts.add(rule.channel)
  }
  const plan = { restartPaths, hotPaths, channelRestarts: [...channelRestarts] }
  if (mode === 'off' || relevant.length === 0) return { kind: 'none', ...plan }
  if (mode === 'restart') return { kind: 'restart', ...plan }
  if (mode === 'hybrid' && restartPaths.length > 0) return { kind: 'restart', ...plan }
  return { kind: hotPaths.length > 0 ? 'hot' : 'none', ...plan }
}

type Rule = { prefix: string; kind: 'none' | 'hot' | 'restart' | 'ignore'; channel?: string }

// Order matters: the first matching prefix wins, so specific prefixes precede their parents.
const RULES: readonly Rule[] = [
  // DEVIATION: upstream leaves meta unmatched, so every write that stamps it restarts the gateway.
  { prefix: 'meta', kind: 'ignore' },
  { prefix: 'gateway.remote', kind: 'none' },
  { prefix: 'gateway.reload', kind: 'none' },
  { prefix: 'agents.defaults.heartbeat', kind: 'hot' },
  { prefix: 'cron', kind: 'hot' },
  { prefix: 'hooks', kind: 'hot' },
  { prefix: 'browser', kind: 'hot' },
  ...IMPLEMENTED_CHANNEL_IDS.map((channel): Rule => ({ prefix: `channels.${channel}`, kind: 'hot', channel })),
  // The shared channel defaults feed Discord's group policy.
  ...IMPLEMENTED_CHANNEL_IDS.map((channel): Rule => ({ prefix: 'channels.defaults', kind: 'hot', channel })),
  // Channels we accept but do not run have nothing to reload.
  ...KNOWN_CHANNEL_IDS.filter((channel) => !IMPLEMENTED_CHANNEL_IDS.includes(channel)).map(
    (channel): Rule => ({ prefix: `channels.${channel}`, kind: 'none' }),
  ),
  ...['identity', 'wizard', 'logging', 'models', 'agents', 'tools', 'bindings', 'audio', 'agent', 'routing']
    .concat(['messages', 'session', 'talk', 'skills', 'ui'])
    .map((prefix): Rule => ({ prefix, kind: 'none' })),
  ...['gateway', 'plugins', 'discovery', 'canvasHost'].map((prefix): Rule => ({ prefix, kind: 'restart' })),
]

function classify(path: string): Rule {
  const rule = RULES.find((candidate) => path === candidate.prefix || path.startsWith(`${candidate.prefix}.`))
  return rule ?? { prefix: path, kind: 'restart' }
}

function collectDifferences(previous: unknown, next: unknown, path: string, paths: string[]): void {
  if (isPlainObject(previous) && isPlainObject(next)) {
    for (const key of new Set([...Object.keys(previous), ...Object.keys(next)])) {
      collectDifferences(previous[key], next[key], path === '' ? key : `${path}.${key}`, paths)
    }
    return
  }
  if (!isDeepEqual(previous, next)) paths.push(path === '' ? '<root>' : path)
}

function isDeepEqual(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => isDeepEqual(item, right[index]))
  }
  if (isPlainObject(left) && isPlainObject(right)) {
    const keys = new Set([...Object.keys(left), ...Object.keys(right)])
    return [...keys].every((key) => isDeepEqual(left[key], right[key]))
  }
  return false
}
