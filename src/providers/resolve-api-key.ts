import type { Config } from '../config/schema.js'
import { findCustomProvider } from './find-custom-provider.js'
import { MissingApiKeyError } from './missing-api-key-error.js'
import { getCatalogProvider } from './provider-catalog.js'
import { providerEnvKeys } from './provider-env-keys.js'

/** What key lookup may read; the auth-profile store is consulted by the caller, before this. */
export interface ApiKeyContext {
  config: Config
  env: Record<string, string | undefined>
  /**
   * The agent's directory. Not used by the lookup: this gateway keeps no `auth-profiles.json` store, so the message
   * no longer points at one (it sent users looking for a file that is never read).
   */
  agentDir?: string
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/

/**
 * Finds the key for a provider: its env vars first, then `models.providers.<id>.apiKey` (an env var name or a
 * literal). Returns undefined for providers that need none (loopback servers, custom providers without auth) and
 * throws {@link MissingApiKeyError} otherwise.
 * @see spec/config-and-runtime.md §1.3
 */
export function resolveApiKey(providerId: string, context: ApiKeyContext): string | undefined {
  const { env } = context
  const envKeys = providerEnvKeys(providerId)
  for (const name of envKeys) {
    const value = env[name]?.trim()
    if (value) return value
  }

  const custom = findCustomProvider(context.config, providerId)
  const configured = custom?.apiKey?.trim()
  // A leading "!" means "run a command" upstream; we never run commands (spec §1.3), so it counts as no key.
  if (configured && !configured.startsWith('!')) {
    if (!ENV_NAME.test(configured)) return configured
    const fromEnv = env[configured]?.trim()
    if (fromEnv) return fromEnv
  }

  if (custom !== undefined && isLoopbackUrl(custom.baseUrl)) return undefined
  // Providers known to take a key (built-ins, zai, moonshot…) always need one; other custom providers opt in via auth.
  const takesKey = getCatalogProvider(providerId) !== undefined || envKeys.length > 0
  if (custom !== undefined && !takesKey && custom.auth === undefined && !configured) return undefined

  throw new MissingApiKeyError(providerId, missingKeyMessage(providerId, envKeys, configured))
}

function missingKeyMessage(
  providerId: string,
  envKeys: readonly string[],
  configured: string | undefined,
): string {
  // The prefix is upstream's; failover recognises a missing key by it.
  const upstream = `No API key found for provider "${providerId}".`
  const configPath = `models.providers.${providerId}.apiKey`
  let hint: string
  if (configured !== undefined && configured.startsWith('!')) {
    hint = `${configPath} starts with "!" (run a command), which this gateway does not support; `
    hint += 'set the key itself or an env var name.'
  } else if (configured !== undefined && ENV_NAME.test(configured)) {
    hint = `${configPath} names the env var ${configured}, which is not set; set it (on Fly: fly secrets set ${configured}=...).`
  } else if (envKeys.length > 0) {
    // Anthropic's first variable is the OAuth token; most users have a plain API key.
    const suggested = providerId === 'anthropic' ? 'ANTHROPIC_API_KEY' : envKeys[0]
    hint = `Set ${suggested} (on Fly: fly secrets set ${suggested}=...) or ${configPath}.`
  } else {
    hint = `Set ${configPath} to the key or to the name of an env var that holds it.`
  }
  return `${upstream} ${hint}`
}

function isLoopbackUrl(baseUrl: string): boolean {
  let hostname: string
  try {
    hostname = new URL(baseUrl).hostname.toLowerCase()
  } catch {
    return false
  }
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  )
}
