import { z } from 'zod'
import type { AppDeps } from '../deps.js'
import { isPlainObject } from '../config/config-issue.js'
import { parseConfigText } from '../config/load-config.js'
import { parseJson5 } from '../config/parse-json5.js'
import { buildConfigSchemaDocument } from './config-schema-document.js'
import { configIo, hashConfigText, readConfigSnapshot } from './config-snapshot.js'
import { applyMergePatch } from '../config/merge-patch.js'
import { applyMergePatchToText, diffToMergePatch, tryParseJson5 } from '../config/edit-json5-text.js'
import { defineMethod, MethodError, NoParams, type MethodDefinition } from './methods.js'

const STALE_HASH = 'config changed since last load; re-run config.get and retry'
const MISSING_HASH = 'config base hash required; re-run config.get and retry'

const WriteParams = z.looseObject({ raw: z.string(), baseHash: z.string().optional(), sessionKey: z.string().optional() })
const PatchParams = z.looseObject({ raw: z.string(), baseHash: z.string().optional(), sessionKey: z.string().optional(), note: z.string().optional() })

/**
 * `config.get`, `config.schema`, `config.set`, `config.apply` and `config.patch` (spec §4.3). Writes are serialized
 * so the `baseHash` check and the write happen as one step; each write is validated by the full load pipeline,
 * saved through `deps.writeConfigFile` and applied through `deps.reloadConfig`.
 */
export function createConfigMethods(): MethodDefinition[] {
  let schemaDocument: ReturnType<typeof buildConfigSchemaDocument> | undefined
  let queue: Promise<unknown> = Promise.resolve()
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task)
    queue = run.catch(() => undefined)
    return run
  }

  return [
    defineMethod('config.get', NoParams, ({ deps }) => readConfigSnapshot(deps), { admin: true }),
    defineMethod('config.schema', NoParams, ({ deps }) => {
      schemaDocument ??= buildConfigSchemaDocument()
      return { ...schemaDocument, version: deps.version, generatedAt: new Date(deps.now()).toISOString() }
    }, { admin: true }),
    defineMethod('config.set', WriteParams, ({ deps }, params) =>
      serialized(() => writeConfig(deps, params.raw, params.baseHash)), { admin: true }),
    defineMethod('config.apply', WriteParams, async ({ deps }, params) => {
      // Upstream restarts here; our reload is in-process, so there is no restart record to report.
      const result = await serialized(() => writeConfig(deps, params.raw, params.baseHash))
      return { ...result, restart: null }
    }, { admin: true }),
    defineMethod('config.patch', PatchParams, ({ deps }, params) =>
      serialized(async () => {
        const current = await checkBaseHash(deps, params.baseHash)
        const base = current === undefined ? { ok: true as const, value: {} } : parseJson5(current)
        if (!base.ok) throw new MethodError('INVALID_REQUEST', `current config cannot be patched (${base.message}); fix it with config.set`)
        const patch = parseJson5(params.raw)
        if (!patch.ok) throw new MethodError('INVALID_REQUEST', patch.message)
        if (!isPlainObject(patch.value)) throw new MethodError('INVALID_REQUEST', 'config.patch raw must be a JSON5 object (a merge patch)')
        const merged = applyMergePatch(base.value, patch.value)
        // Edit the file's text so its comments and layout survive; a fresh serialisation only if that is impossible.
        const edited = current === undefined ? undefined : applyMergePatchToText(current, patch.value)
        return saveConfig(deps, edited ?? `${JSON.stringify(merged, null, 2)}\n`)
      }), { admin: true }),
  ]
}

async function writeConfig(deps: AppDeps, raw: string, baseHash: string | undefined) {
  const current = await checkBaseHash(deps, baseHash)
  return saveConfig(deps, current === undefined ? raw : keepLayoutSafely(current, raw))
}

/**
 * Form editors (ours and upstream's) send the whole config as `JSON.stringify(config, null, 2)`; written as is, that
 * would drop the file's comments and layout. Such a text is turned into the change it makes and applied to the
 * file's own text instead. Anything else (text typed in a raw editor) is written exactly as sent.
 */
function keepLayoutSafely(current: string, raw: string): string {
  try {
    return keepLayout(current, raw)
  } catch {
    // Pathological text (nesting deep enough to exhaust the stack) is left to the validator, which says what is wrong.
    return raw
  }
}

function keepLayout(current: string, raw: string): string {
  const submitted = tryParseJson5(raw)
  if (!isPlainObject(submitted) || raw !== `${JSON.stringify(submitted, null, 2)}\n`) return raw
  const before = tryParseJson5(current)
  if (!isPlainObject(before)) return raw
  const edited = applyMergePatchToText(current, diffToMergePatch(before, submitted))
  // A merge patch cannot say "set to null"; whenever the edited text would mean something else, write what was sent.
  return edited !== undefined && sameJson(tryParseJson5(edited), submitted) ? edited : raw
}

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(sortKeys(left)) === JSON.stringify(sortKeys(right))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (!isPlainObject(value)) return value
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]))
}

/** Refuses a write based on an old read; returns the current text. Without a file there is nothing to protect. */
async function checkBaseHash(deps: AppDeps, baseHash: string | undefined): Promise<string | undefined> {
  const current = await deps.readTextFile(deps.state.configPath)
  if (current === undefined) return undefined
  if (!baseHash) throw new MethodError('INVALID_REQUEST', MISSING_HASH)
  if (baseHash !== (await hashConfigText(current))) throw new MethodError('INVALID_REQUEST', STALE_HASH)
  return current
}

async function saveConfig(deps: AppDeps, raw: string) {
  const path = deps.state.configPath
  const parsed = parseJson5(raw)
  if (!parsed.ok) throw new MethodError('INVALID_REQUEST', parsed.message)
  if (!isPlainObject(parsed.value)) throw new MethodError('INVALID_REQUEST', 'invalid config', { issues: [{ path: '', message: 'config must be an object' }] })
  // The same pipeline as start-up and hot reload, so nothing is written that the gateway would then refuse.
  const result = await parseConfigText(raw, path, configIo(deps))
  if (!result.ok) throw new MethodError('INVALID_REQUEST', 'invalid config', { issues: result.issues })
  await deps.writeConfigFile(path, raw)
  const reload = await deps.reloadConfig()
  // Hash what landed on disk (the runtime may add a final newline), so the client can chain writes.
  deps.logger.child('control').info(`config written over the control socket (${reload.ok ? 'applied' : 'not applied'}: ${reload.message})`)
  return { ok: true as const, path, config: parsed.value, hash: await hashConfigText(await deps.readTextFile(path)), reload }
}
