import { expandHome } from './expand-home.js'
import { join } from './posix-path.js'

type Env = Record<string, string | undefined>

/** File names looked for in each candidate directory; upstream renamed clawdbot.json, we read both. */
const CONFIG_FILE_NAMES = ['moltbot.json', 'clawdbot.json'] as const
/** The name a new file gets and messages use: the one the README and the Fly guide tell users to create. */
export const DEFAULT_CONFIG_FILE_NAME = 'clawdbot.json'

/**
 * The state directory: MOLTBOT_STATE_DIR, then CLAWDBOT_STATE_DIR, then `~/.clawdbot-dev` for the dev
 * profile, then `~/.clawdbot` (or `~/.moltbot` when only that one exists).
 */
export function resolveStateDir(env: Env, homeDir: string, exists: (path: string) => boolean): string {
  const explicit = firstSet(env.MOLTBOT_STATE_DIR, env.CLAWDBOT_STATE_DIR)
  if (explicit !== undefined) return expandHome(explicit, homeDir)
  if (env.CLAWDBOT_PROFILE?.trim() === 'dev') return join(homeDir, '.clawdbot-dev')
  const legacyDir = join(homeDir, '.clawdbot')
  const renamedDir = join(homeDir, '.moltbot')
  if (!exists(legacyDir) && exists(renamedDir)) return renamedDir
  return legacyDir
}

/**
 * The config file: an explicit MOLTBOT_CONFIG_PATH/CLAWDBOT_CONFIG_PATH as-is, else the first existing
 * candidate, else `<stateDir>/clawdbot.json` (where a user would create one).
 */
export function resolveConfigPath(
  env: Env,
  homeDir: string,
  stateDir: string,
  exists: (path: string) => boolean,
): { path: string; explicit: boolean } {
  const explicit = firstSet(env.MOLTBOT_CONFIG_PATH, env.CLAWDBOT_CONFIG_PATH)
  if (explicit !== undefined) return { path: expandHome(explicit, homeDir), explicit: true }
  const directories = [
    env.MOLTBOT_STATE_DIR,
    env.CLAWDBOT_STATE_DIR,
    join(homeDir, '.moltbot'),
    join(homeDir, '.clawdbot'),
    stateDir,
  ]
    .map((directory) => directory?.trim())
    .filter((directory): directory is string => directory !== undefined && directory !== '')
    .map((directory) => expandHome(directory, homeDir))
  for (const directory of directories) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(directory, name)
      if (exists(candidate)) return { path: candidate, explicit: false }
    }
  }
  return { path: join(stateDir, DEFAULT_CONFIG_FILE_NAME), explicit: false }
}

function firstSet(...values: (string | undefined)[]): string | undefined {
  return values.map((value) => value?.trim()).find((value) => value !== undefined && value !== '')
}
