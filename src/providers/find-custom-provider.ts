import type { Config } from '../config/schema.js'
import { normalizeProviderId } from './normalize-provider-id.js'

/** One `models.providers.<id>` entry as the schema types it. */
export type CustomProviderConfig = NonNullable<NonNullable<Config['models']>['providers']>[string]

/** The `models.providers` entry for a provider id, matching keys as model refs are normalised (`Z.AI` → `zai`). */
export function findCustomProvider(config: Config, providerId: string): CustomProviderConfig | undefined {
  const providers = config.models?.providers ?? {}
  if (Object.hasOwn(providers, providerId)) return providers[providerId]
  const wanted = normalizeProviderId(providerId)
  const key = Object.keys(providers).find((candidate) => normalizeProviderId(candidate) === wanted)
  return key === undefined ? undefined : providers[key]
}
