import type { Config } from '../config/schema.js'

/** USD per million tokens. */
export interface ModelPrice {
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
}

/**
 * List prices (USD per million tokens) of the models we know, as published by Anthropic and OpenAI when this table
 * was written. They are ESTIMATES for `usage.cost`: providers change prices and discounts (batch, priority, long
 * context) are not modelled. A `models.providers.<id>.models[].cost` entry in the config takes precedence.
 */
const KNOWN_PRICES: Record<string, ModelPrice> = {
  'anthropic/claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'anthropic/claude-opus-4-1': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'anthropic/claude-opus-4': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'anthropic/claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'anthropic/claude-sonnet-4': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'anthropic/claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'openai/gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 0 },
  'openai/gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: 0 },
  'openai/gpt-4.1': { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 0 },
  'openai/gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1, cacheWrite: 0 },
  'openai/gpt-5': { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 0 },
  'openai/gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025, cacheWrite: 0 },
}

/** The price of `provider/model`: the config's own `cost`, else the table above, else undefined (cost unknown). */
export function findModelPrice(config: Pick<Config, 'models'>, provider: string, model: string): ModelPrice | undefined {
  const configured = config.models?.providers?.[provider]?.models?.find((entry) => entry.id === model)?.cost
  if (configured !== undefined) {
    return { input: configured.input ?? 0, output: configured.output ?? 0, cacheRead: configured.cacheRead ?? 0, cacheWrite: configured.cacheWrite ?? 0 }
  }
  // Dated snapshots (`claude-sonnet-4-5-20250929`, `gpt-4o-2024-08-06`) cost what their family costs.
  const bare = model.replace(/-\d{4}-?\d{2}-?\d{2}$/, '').replace(/-\d{8}$/, '')
  return KNOWN_PRICES[`${provider}/${model}`] ?? KNOWN_PRICES[`${provider}/${bare}`]
}

/** Cost in USD of one reply's usage at `price`. */
export function priceUsage(price: ModelPrice, usage: { input: number; output: number; cacheRead: number; cacheWrite: number }): number {
  return (usage.input * price.input + usage.output * price.output + usage.cacheRead * price.cacheRead + usage.cacheWrite * price.cacheWrite) / 1_000_000
}
