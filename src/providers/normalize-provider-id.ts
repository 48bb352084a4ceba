// Spellings users write for providers whose canonical id differs (spec §6.1).
const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  'z.ai': 'zai',
  'z-ai': 'zai',
  'opencode-zen': 'opencode',
  qwen: 'qwen-portal',
}

/** Lower-cases a provider id and maps known alternative spellings to the canonical id. */
export function normalizeProviderId(providerId: string): string {
  const lowered = providerId.trim().toLowerCase()
  return Object.hasOwn(PROVIDER_ALIASES, lowered) ? PROVIDER_ALIASES[lowered] : lowered
}
