import type { CronJob, CronJobPatch, CronPayload } from './cron-job.js'

/**
 * Applies a `cron.update` patch: `schedule` and `isolation` replace, `state` merges, a payload of the same kind
 * merges field by field, one of another kind replaces and must then be complete. `agentId: null` clears it.
 * @see spec/automation.md §1.10
 */
export function applyCronPatch(job: CronJob, patch: CronJobPatch): CronJob {
  const next: CronJob = structuredClone(job)
  if (patch.name !== undefined) next.name = patch.name.trim()
  if (patch.agentId === null) delete next.agentId
  else if (patch.agentId !== undefined) next.agentId = patch.agentId
  if (patch.description !== undefined) {
    const description = patch.description.trim()
    if (description === '') delete next.description
    else next.description = description
  }
  if (patch.enabled !== undefined) next.enabled = patch.enabled
  if (patch.deleteAfterRun !== undefined) next.deleteAfterRun = patch.deleteAfterRun
  if (patch.schedule !== undefined) next.schedule = patch.schedule
  if (patch.sessionTarget !== undefined) next.sessionTarget = patch.sessionTarget
  if (patch.wakeMode !== undefined) next.wakeMode = patch.wakeMode
  if (patch.isolation !== undefined) next.isolation = patch.isolation
  if (patch.state !== undefined) next.state = { ...next.state, ...patch.state }
  if (patch.payload !== undefined) next.payload = mergePayload(next.payload, patch.payload)
  return next
}

function mergePayload(current: CronPayload, patch: NonNullable<CronJobPatch['payload']>): CronPayload {
  if (patch.kind === current.kind) {
    const merged = { ...current } as Record<string, unknown>
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) merged[key] = value
    return merged as CronPayload
  }
  if (patch.kind === 'systemEvent') {
    if (typeof patch.text !== 'string') throw new Error('cron.update payload.kind="systemEvent" requires text')
    return { kind: 'systemEvent', text: patch.text }
  }
  if (typeof patch.message !== 'string') throw new Error('cron.update payload.kind="agentTurn" requires message')
  const replaced = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined))
  return replaced as CronPayload
}
