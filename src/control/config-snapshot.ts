import type { AppDeps } from '../deps.js'
import { isPlainObject, type ConfigIssue } from '../config/config-issue.js'
import { parseConfigText, type ConfigIo } from '../config/load-config.js'
import { parseJson5 } from '../config/parse-json5.js'

/** The `config.get` result of spec §4.3: the file as written, its hash, and what validation says about it. */
export interface ConfigSnapshot {
  path: string
  exists: boolean
  raw: string | null
  parsed: unknown
  valid: boolean
  /**
   * The file's own content, not the resolved config. Deviation: upstream sends defaults and `${VAR}` values here, and
   * the form writes the whole object back, which would bake defaults and substituted secrets into the file.
   */
  config: Record<string, unknown>
  hash: string
  issues: ConfigIssue[]
  warnings: string[]
  legacyIssues: ConfigIssue[]
}

/** Reads the config file fresh from disk (never the running config) and describes it for the Config tab. */
export async function readConfigSnapshot(deps: AppDeps): Promise<ConfigSnapshot> {
  const path = deps.state.configPath
  const raw = await deps.readTextFile(path)
  const hash = await hashConfigText(raw)
  if (raw === undefined) {
    return { path, exists: false, raw: null, parsed: {}, valid: true, config: {}, hash, issues: [], warnings: [], legacyIssues: [] }
  }
  const parsed = parseJson5(raw)
  const result = await parseConfigText(raw, path, configIo(deps))
  return {
    path,
    exists: true,
    raw,
    parsed: parsed.ok ? parsed.value : null,
    valid: result.ok,
    config: parsed.ok && isPlainObject(parsed.value) ? parsed.value : {},
    hash,
    issues: result.ok ? [] : result.issues,
    warnings: result.ok ? result.warnings : [],
    legacyIssues: result.legacy,
  }
}

/** SHA-256 hex of the raw file text, or of `""` when there is no file (spec §4.3). */
export async function hashConfigText(raw: string | undefined): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(raw ?? ''))
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** Config loading capabilities built from deps; the env is copied because the `env` block fills it in place. */
export function configIo(deps: AppDeps): ConfigIo {
  return {
    readText: deps.readTextFile,
    realPath: deps.realPath,
    env: { ...deps.env },
    homeDir: deps.env.HOME ?? deps.env.USERPROFILE ?? '/',
  }
}
