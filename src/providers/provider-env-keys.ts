/**
 * Env vars that hold each provider's key, first one set wins (spec §1.3). This covers more providers than the
 * catalog, so a custom `models.providers.zai` entry still finds `ZAI_API_KEY`.
 */
export const PROVIDER_ENV_KEYS: Readonly<Record<string, readonly string[]>> = {
  anthropic: ['ANTHROPIC_OAUTH_TOKEN', 'ANTHROPIC_API_KEY'],
  openai: ['OPENAI_API_KEY'],
  // DEVIATION (spec §1.3): upstream reads only GEMINI_API_KEY; the Fly guide tells users to set GOOGLE_API_KEY.
  google: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  openrouter: ['OPENROUTER_API_KEY'],
  groq: ['GROQ_API_KEY'],
  xai: ['XAI_API_KEY'],
  mistral: ['MISTRAL_API_KEY'],
  cerebras: ['CEREBRAS_API_KEY'],
  moonshot: ['MOONSHOT_API_KEY'],
  minimax: ['MINIMAX_API_KEY'],
  venice: ['VENICE_API_KEY'],
  synthetic: ['SYNTHETIC_API_KEY'],
  deepgram: ['DEEPGRAM_API_KEY'],
  zai: ['ZAI_API_KEY', 'Z_AI_API_KEY'],
  'vercel-ai-gateway': ['AI_GATEWAY_API_KEY'],
  opencode: ['OPENCODE_API_KEY', 'OPENCODE_ZEN_API_KEY'],
}

/** The env var names checked for a provider's key, in lookup order; empty for providers with no known variable. */
export function providerEnvKeys(providerId: string): readonly string[] {
  return Object.hasOwn(PROVIDER_ENV_KEYS, providerId) ? PROVIDER_ENV_KEYS[providerId] : []
}
