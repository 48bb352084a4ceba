/**
 * Which values in a resolved config came from environment variables through `${NAME}` substitution. They ride on
 * the config object under a symbol (invisible to JSON and to config diffs), so wherever the running config goes, the
 * code that sends data to clients can find them and mask them.
 */
const ENV_VALUES = Symbol('envValues')

/** Variable name → substituted value. */
export type EnvValues = ReadonlyMap<string, string>

export function attachEnvValues<T extends object>(config: T, values: EnvValues): T {
  Object.defineProperty(config, ENV_VALUES, { value: values, enumerable: false, configurable: true })
  return config
}

export function envValuesOf(config: object | undefined): EnvValues {
  return ((config as Record<symbol, unknown> | undefined)?.[ENV_VALUES] as EnvValues | undefined) ?? new Map()
}

/** Env var names whose values are secrets even when the config never references them (provider keys, tokens). */
export function isSecretEnvName(name: string): boolean {
  return /(TOKEN|PASSWORD|SECRET|API_KEY|_KEY)$/.test(name) && !/PUBLIC_KEY$/.test(name)
}

/** Secret values in an environment, for log redaction and client masking. */
export function environmentSecrets(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value && isSecretEnvName(name))
    .map(([, value]) => value as string)
}
