import type { HookAgentRequest } from './run-hook-agent.js'

/** A checked request, or the 400 text upstream answers with. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

/**
 * Reads a `/hooks/agent` body (or a rendered mapping) with upstream's defaults and 400 texts (spec §6.4): `message`
 * required, `deliver` true unless literally false, `channel` `last` or a channel that can deliver here.
 */
export function parseHookAgentRequest(body: Record<string, unknown>, channels: readonly string[]): Parsed<HookAgentRequest> {
  const message = text(body.message)
  if (message === undefined) return { ok: false, error: 'message required' }
  const channel = (text(body.channel) ?? 'last').toLowerCase()
  if (channel !== 'last' && !channels.includes(channel)) return { ok: false, error: `channel must be ${['last', ...channels].join('|')}` }
  if ('model' in body && body.model !== undefined && text(body.model) === undefined) return { ok: false, error: 'model required' }
  const timeout = typeof body.timeoutSeconds === 'number' && body.timeoutSeconds > 0 ? Math.floor(body.timeoutSeconds) : undefined
  return {
    ok: true,
    value: {
      message,
      name: text(body.name) ?? 'Hook',
      sessionKey: text(body.sessionKey) ?? `hook:${crypto.randomUUID()}`,
      wakeMode: body.wakeMode === 'next-heartbeat' ? 'next-heartbeat' : 'now',
      deliver: body.deliver !== false,
      channel,
      ...optional('to', text(body.to)),
      ...optional('model', text(body.model)),
      ...optional('thinking', text(body.thinking)),
      ...(timeout !== undefined && timeout > 0 ? { timeoutSeconds: timeout } : {}),
    },
  }
}

/** Reads a `/hooks/wake` body: `text` required, any `mode` but `next-heartbeat` means `now`. */
export function parseHookWakeRequest(body: Record<string, unknown>): Parsed<{ text: string; mode: 'now' | 'next-heartbeat' }> {
  const value = text(body.text)
  if (value === undefined) return { ok: false, error: 'text required' }
  return { ok: true, value: { text: value, mode: body.mode === 'next-heartbeat' ? 'next-heartbeat' : 'now' } }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

function optional<Key extends string>(key: Key, value: string | undefined): Partial<Record<Key, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<Key, string>)
}
