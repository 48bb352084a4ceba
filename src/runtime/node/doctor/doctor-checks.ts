import { constants } from 'node:fs'
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { checkModelChain } from '../../../agent/model-chain-status.js'
import { CLI_COMMAND } from '../../../cli/command-name.js'
import { getDefaultAgentId } from '../../../config/config-lookup.js'
import { migrateLegacyConfig } from '../../../config/migrate-legacy.js'
import { parseJson5 } from '../../../config/parse-json5.js'
import { formatIssue } from '../../../config/format-config-issues.js'
import { DEFAULT_API_BASE_URL } from '../../../discord/discord-api.js'
import { createDiscordRest } from '../../../discord/discord-rest.js'
import { describeStartError } from '../../../discord/describe-start-error.js'
import { listDiscordAccountIds, resolveDiscordAccount } from '../../../discord/resolve-discord-account.js'
import { describeGatewayLock } from '../gateway-lock.js'
import { writeConfigWithBackups } from '../write-config-with-backups.js'
import type { DoctorCheck, DoctorFinding } from './doctor-check.js'
import { checkMcp } from './check-mcp.js'

/** Config: present, valid, and free of legacy keys (migrated into the file with `--fix`, keeping a `.bak`). */
export const checkConfig: DoctorCheck = async (context) => {
  const { loaded, configPath } = context
  if (!loaded.exists) {
    return [{ check: 'config', status: 'warn', message: `no config file at ${configPath}; the gateway needs --allow-unconfigured (or create the file with { gateway: { mode: "local" } })` }]
  }
  if (!loaded.ok) {
    return [{ check: 'config', status: 'fail', message: `${configPath} is invalid:\n${loaded.issues.map((issue) => `    ${formatIssue(issue)}`).join('\n')}` }]
  }
  const findings: DoctorFinding[] = [{ check: 'config', status: 'ok', message: `${configPath} is valid` }]
  if (loaded.legacy.length === 0) return findings
  const keys = loaded.legacy.map((issue) => issue.path).join(', ')
  if (!context.fix) {
    findings.push({ check: 'config', status: 'warn', message: `legacy keys (${keys}) are migrated in memory on every start; run ${CLI_COMMAND} doctor --fix to update the file` })
    return findings
  }
  const raw = parseJson5(await readFile(configPath, 'utf8'))
  if (raw.ok && typeof raw.value === 'object' && raw.value !== null && '$include' in raw.value) {
    findings.push({ check: 'config', status: 'warn', message: `legacy keys (${keys}) not migrated: the file uses $include; move them by hand` })
    return findings
  }
  const migrated = migrateLegacyConfig(raw.ok ? raw.value : undefined)
  await writeConfigWithBackups(configPath, `${JSON.stringify(migrated.config, null, 2)}\n`)
  findings.push({ check: 'config', status: 'ok', message: `migrated legacy keys (${keys}); the previous file is kept as ${configPath}.bak (its comments are there too)` })
  return findings
}

/** State dir: exists, writable, and (on Fly) on the mounted volume rather than the machine's throwaway disk. */
export const checkStateDir: DoctorCheck = async (context) => {
  const dir = resolve(context.stateDir)
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await access(dir, constants.W_OK)
    const probe = join(dir, `.doctor-${process.pid}`)
    await writeFile(probe, 'ok')
    await rm(probe)
  } catch (error) {
    return [{ check: 'state dir', status: 'fail', message: `${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)}); fix its permissions or point CLAWDBOT_STATE_DIR elsewhere` }]
  }
  const mount = await mountPointOf(dir)
  const onFly = context.env.FLY_APP_NAME !== undefined
  if (onFly && (mount === undefined || mount === '/')) {
    return [{ check: 'state dir', status: 'fail', message: `${dir} is writable but not on a volume, so sessions are lost on every deploy; mount the clawdbot_data volume there ([mounts] in fly.toml)` }]
  }
  const where = mount === undefined ? '' : mount === '/' ? ' (on the root file system)' : ` (on the volume mounted at ${mount})`
  return [{ check: 'state dir', status: 'ok', message: `${dir} is writable${where}` }]
}

/** Models: every model of the default agent's chain has a known provider and a key. */
export const checkModels: DoctorCheck = async (context) => {
  if (!context.loaded.ok) return []
  const chain = checkModelChain(context.loaded.config, context.env, getDefaultAgentId(context.loaded.config))
  const findings: DoctorFinding[] = chain.models.map((model) => ({
    check: 'models',
    status: model.usable ? 'ok' : chain.usable ? 'warn' : 'fail',
    message: `${model.ref} (${model.role}): ${model.usable ? 'key found' : model.problem}`,
  }))
  return findings
}

/** Discord: each enabled account's token is accepted by Discord (`GET /users/@me`). */
export const checkDiscord: DoctorCheck = async (context) => {
  if (!context.loaded.ok) return []
  const config = context.loaded.config
  const findings: DoctorFinding[] = []
  for (const accountId of listDiscordAccountIds(config)) {
    const account = resolveDiscordAccount(config, context.env, accountId)
    if (!account.enabled) continue
    if (account.token === undefined) {
      if (config.channels?.discord !== undefined) findings.push({ check: 'discord', status: 'warn', message: `account ${accountId} has no bot token; set DISCORD_BOT_TOKEN or channels.discord.token` })
      continue
    }
    const baseUrl = context.env.DISCORD_API_BASE_URL ?? DEFAULT_API_BASE_URL
    const rest = createDiscordRest({ fetch: context.fetch, baseUrl, token: account.token, sleep: async () => undefined, retry: { attempts: 1 } })
    try {
      const user = (await rest.request('GET', '/users/@me')) as { username?: string; id?: string }
      findings.push({ check: 'discord', status: 'ok', message: `account ${accountId}: token accepted (bot ${user.username ?? user.id ?? '?'})` })
    } catch (error) {
      findings.push({ check: 'discord', status: 'fail', message: `account ${accountId}: ${describeStartError(error, baseUrl).replace(/; will retry/, '')}` })
    }
  }
  return findings
}

/** Lock: whether a gateway is running on this state dir right now, and stale locks. */
export const checkLock: DoctorCheck = async (context) => {
  if (context.env.CLAWDBOT_ALLOW_MULTI_GATEWAY === '1') return [{ check: 'lock', status: 'ok', message: 'not used (CLAWDBOT_ALLOW_MULTI_GATEWAY=1)' }]
  const lock = describeGatewayLock(context.stateDir, context.tmpDir)
  if (lock.state === 'held') return [{ check: 'lock', status: 'ok', message: `held by a running gateway${lock.pid === undefined ? '' : ` (pid ${lock.pid})`}: ${lock.path}` }]
  if (lock.state === 'stale') return [{ check: 'lock', status: 'ok', message: `stale lock from a gateway that is gone (removed at the next start): ${lock.path}` }]
  return [{ check: 'lock', status: 'ok', message: 'free: no gateway is running on this state dir' }]
}

/** Every check, in the order they print. A channel adds its own check here. */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [checkConfig, checkStateDir, checkModels, checkDiscord, checkMcp, checkLock]

async function mountPointOf(dir: string): Promise<string | undefined> {
  try {
    return mountPointIn(await readFile('/proc/self/mountinfo', 'utf8'), dir)
  } catch {
    return undefined
  }
}

/** The mount point a directory lives on, from `/proc/self/mountinfo` text: the longest mount point containing it. */
export function mountPointIn(mountinfo: string, dir: string): string | undefined {
  // Field 5 of each line is the mount point.
  const points = mountinfo.split('\n').map((line) => line.split(' ')[4]).filter((point): point is string => point !== undefined && point !== '')
  const matches = points.filter((point) => point === '/' || dir === point || dir.startsWith(`${point}/`))
  return matches.sort((left, right) => right.length - left.length)[0]
}
