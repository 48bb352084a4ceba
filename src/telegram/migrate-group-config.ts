import { isPlainObject } from '../config/config-issue.js'
import { parseConfigText } from '../config/load-config.js'
import { parseJson5 } from '../config/parse-json5.js'
import type { AppDeps } from '../deps.js'
import type { Logger } from '../logging/logger.js'

/**
 * When a group becomes a supergroup (new `-100…` id), moves its `channels.telegram.groups` entry (base and accounts)
 * to the new id, unless the new id already has one, so its rules keep applying. Skipped with `configWrites:false`.
 * The file is rewritten as JSON (comments are not kept, as with `config.patch`) after the full validation pipeline.
 * @see spec/telegram.md §4.8
 */
export async function migrateGroupConfig(deps: AppDeps, logger: Logger, oldId: string, newId: string, configWrites: boolean): Promise<boolean> {
  if (!configWrites) {
    logger.info('Config writes disabled; skipping group config migration.')
    return false
  }
  const path = deps.state.configPath
  const raw = await deps.readTextFile(path)
  const parsed = raw === undefined ? undefined : parseJson5(raw)
  if (parsed === undefined || !parsed.ok || !isPlainObject(parsed.value)) return false
  const telegram = (parsed.value.channels as Record<string, unknown> | undefined)?.telegram
  if (!isPlainObject(telegram)) return false
  const holders = [telegram, ...Object.values(isPlainObject(telegram.accounts) ? telegram.accounts : {})].filter(isPlainObject)
  let moved = false
  for (const holder of holders) {
    const groups = holder.groups
    if (!isPlainObject(groups) || groups[oldId] === undefined || groups[newId] !== undefined) continue
    groups[newId] = groups[oldId]
    delete groups[oldId]
    moved = true
  }
  if (!moved) return false
  const text = `${JSON.stringify(parsed.value, null, 2)}\n`
  const checked = await parseConfigText(text, path, { readText: deps.readTextFile, env: { ...deps.env }, homeDir: deps.env.HOME ?? '/' })
  if (!checked.ok) return false
  await deps.writeConfigFile(path, text)
  await deps.reloadConfig()
  logger.info(`moved channels.telegram.groups["${oldId}"] to "${newId}"`)
  return true
}
