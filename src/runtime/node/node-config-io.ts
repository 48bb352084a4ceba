import { existsSync, readFileSync } from 'node:fs'
import { readRegularFile, realPathOrUndefined } from './read-regular-file.js'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { ConfigIo } from '../../config/load-config.js'
import { resolveConfigPath, resolveStateDir } from '../../config/config-paths.js'
import { applyDotenv, parseDotenv } from '../../config/parse-dotenv.js'

/** Config I/O on Node: reads files from disk and uses the real process environment (the env block writes into it). */
export function createNodeConfigIo(): ConfigIo {
  return {
    readText: (path) => readRegularFile(path),
    realPath: realPathOrUndefined,
    env: process.env,
    homeDir: homedir(),
  }
}

/** Where state and config live for this process, after `.env` files had their say. */
export interface NodePaths {
  stateDir: string
  configPath: string
  configExplicit: boolean
  dotenvFiles: string[]
}

/**
 * Loads `.env` from the working directory, resolves the state dir, then loads `$STATE_DIR/.env`; neither file
 * overrides a variable that is already set (Fly secrets always win).
 */
export function resolveNodePaths(): NodePaths {
  const dotenvFiles: string[] = []
  loadDotenvFile(join(process.cwd(), '.env'), dotenvFiles)
  const stateDir = resolveStateDir(process.env, homedir(), existsSync)
  loadDotenvFile(join(stateDir, '.env'), dotenvFiles)
  const resolved = resolveConfigPath(process.env, homedir(), stateDir, existsSync)
  return { stateDir, configPath: resolved.path, configExplicit: resolved.explicit, dotenvFiles }
}

/** The config file for a known state dir, found again on reload (a `clawdbot.json` may appear after start). */
export function findConfigPath(stateDir: string): string {
  return resolveConfigPath(process.env, homedir(), stateDir, existsSync).path
}

/** Shortens the home directory to `~` for display, as upstream's messages do. */
export function displayPath(path: string): string {
  const home = homedir()
  return home && home !== '/' && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path
}

function loadDotenvFile(path: string, loaded: string[]): void {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return
  }
  applyDotenv(process.env, parseDotenv(text))
  loaded.push(path)
}
