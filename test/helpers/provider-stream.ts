import { expect } from 'vitest'
import type { ModelRequest, ProviderEvent } from '../../src/providers/model-provider.js'

/** A minimal model request; tests override what they check. */
export function modelRequest(model: string, overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model,
    system: 'You are a test.',
    messages: [{ role: 'user', content: 'Hi' }],
    maxTokens: 1024,
    signal: new AbortController().signal,
    ...overrides,
  }
}

/** Every event of a provider stream. */
export async function collect(events: AsyncIterable<ProviderEvent>): Promise<ProviderEvent[]> {
  const collected: ProviderEvent[] = []
  for await (const event of events) collected.push(event)
  return collected
}

/** The error a provider stream fails with; fails the test if the stream succeeds. */
export async function failure(events: AsyncIterable<ProviderEvent>): Promise<any> {
  return collect(events).then(
    () => expect.unreachable('the stream should have failed'),
    (error: unknown) => error,
  )
}
