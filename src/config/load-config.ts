import { applyConfigEnv } from './apply-config-env.js'
import { applyDefaults, type ResolvedConfig } from './apply-defaults.js'
import { checkConfig } from './check-config.js'
import { isPlainObject, toConfigIssues, type ConfigIssue } from './config-issue.js'
import { attachEnvValues } from './env-values.js'
import { expandHomePaths } from './expand-home.js'
import { IMPLEMENTED_CHANNEL_IDS, UNSUPPORTED_SECTIONS } from './known-ids.js'
import { migrateLegacyConfig } from './migrate-legacy.js'
import { parseJson5 } from './parse-json5.js'
import { resolveIncludes } from './resolve-includes.js'
import { ConfigSchema, type Config } from './schema.js'
import { substituteEnvVars } from './substitute-env-vars.js'

export type { ConfigIssue } from './config-issue.js'
export type { ResolvedConfig } from './apply-defaults.js'

/** The capabilities config loading needs; the runtime supplies them so this module stays web-standard. */
export interface ConfigIo {
  /** Returns the file's text, or undefined when it does not exist; throws for non-regular or oversized files. */
  readText(path: string): Promise<string | undefined>
  /** Resolves symlinks (undefined when missing), so `$include` confinement sees the real location. */
  realPath?(path: string): Promise<string | undefined>
  /** Process environment; the config `env` block fills in missing or blank keys in place. */
  env: Record<string, string | undefined>
  homeDir: string
}

/** Outcome of loading a config file; failures keep the raw text so callers can show or repair it. */
export type LoadConfigResult =
  | {
      ok: true
      path: string
      exists: boolean
      raw: string | undefined
      config: ResolvedConfig
      warnings: string[]
      legacy: ConfigIssue[]
      envApplied: string[]
    }
  | { ok: false; path: string; exists: boolean; raw: string | undefined; issues: ConfigIssue[]; legacy: ConfigIssue[] }

/** Reads and resolves the config file at `path`; a missing file yields an empty config plus defaults. */
export async function loadConfig(path: string, io: ConfigIo): Promise<LoadConfigResult> {
  const raw = await io.readText(path)
  if (raw === undefined) {
    const resolved = finish({}, io)
    return { ok: true, path, exists: false, raw, ...resolved, legacy: [], envApplied: [] }
  }
  return parseConfigText(raw, path, io)
}

/** Runs the full load pipeline on config text (also used to validate text sent over the control socket). */
export async function parseConfigText(text: string, path: string, io: ConfigIo): Promise<LoadConfigResult> {
  const failure = (issues: ConfigIssue[], legacy: ConfigIssue[] = []): LoadConfigResult => ({
    ok: false,
    path,
    exists: true,
    raw: text,
    issues,
    legacy,
  })

  const parsed = parseJson5(text)
  if (!parsed.ok) return failure([{ path: '', message: parsed.message }])

  const included = await resolveIncludes(parsed.value, path, io.readText, io.realPath)
  if (included.issues.length > 0) return failure(included.issues)

  const envApplied = applyConfigEnv(included.value, io.env)
  const substituted = substituteEnvVars(included.value, io.env)
  if (substituted.issues.length > 0) return failure(substituted.issues)

  const { config: migrated, legacy } = migrateLegacyConfig(substituted.value)
  const validated = ConfigSchema.safeParse(migrated)
  if (!validated.success) return failure(toConfigIssues(validated.error), legacy)
  const checkIssues = checkConfig(validated.data)
  if (checkIssues.length > 0) return failure(checkIssues, legacy)

  const warnings: string[] = []
  if (legacy.length > 0) {
    const keys = legacy.map((issue) => issue.path).join(', ')
    warnings.push(`config: migrated legacy keys in memory (${keys}); run moltbot doctor --fix to update the file`)
  }
  warnings.push(...unsupportedSectionWarnings(validated.data))
  const resolved = finish(validated.data, io)
  return {
    ok: true,
    path,
    exists: true,
    raw: text,
    config: attachEnvValues(resolved.config, substituted.substituted),
    warnings: [...warnings, ...resolved.warnings],
    legacy,
    envApplied,
  }
}

function finish(config: Config, io: ConfigIo): { config: ResolvedConfig; warnings: string[] } {
  const { config: withDefaults, warnings } = applyDefaults(config, io.env)
  const defaultAgents = withDefaults.agents.list?.filter((agent) => agent.default === true) ?? []
  if (defaultAgents.length > 1) {
    warnings.push('Multiple agents marked default=true; using the first entry as default.')
  }
  return { config: expandHomePaths(withDefaults, io.homeDir), warnings }
}

function unsupportedSectionWarnings(config: Config): string[] {
  const sections: string[] = UNSUPPORTED_SECTIONS.filter((key) => config[key] !== undefined)
  if (isPlainObject(config.channels)) {
    for (const channelId of Object.keys(config.channels)) {
      if (channelId === 'defaults' || IMPLEMENTED_CHANNEL_IDS.includes(channelId)) continue
      sections.push(`channels.${channelId}`)
    }
  }
  return sections.map((key) => `config: ignoring unsupported section ${key}`)
}
