import { describe, expect, it } from 'vitest'
import { createDiscordRest, DiscordApiError } from './discord-rest.js'

function scripted(responses: Response[]) {
  const requests: Array<{ url: string; init: RequestInit | undefined }> = []
  const fetcher = (async (url: string, init?: RequestInit) => {
    requests.push({ url, init })
    return responses.shift() ?? new Response('{}', { status: 500 })
  }) as typeof fetch
  return { fetcher, requests }
}

describe('createDiscordRest', () => {
  it('sends the bot token only on bot routes', async () => {
    const { fetcher, requests } = scripted([Response.json({ id: '1' }), new Response(null, { status: 204 })])
    const rest = createDiscordRest({ fetch: fetcher, baseUrl: 'https://discord.test/api/v10/', token: 'secret-bot-token', sleep: async () => {} })
    expect(await rest.request('GET', '/users/@me')).toEqual({ id: '1' })
    expect(await rest.request('DELETE', '/webhooks/1/tok/messages/@original', { auth: false })).toBeUndefined()
    expect(requests[0]?.url).toBe('https://discord.test/api/v10/users/@me')
    expect((requests[0]?.init?.headers as Record<string, string>).authorization).toBe('Bot secret-bot-token')
    expect((requests[1]?.init?.headers as Record<string, string>).authorization).toBeUndefined()
  })

  it('falls back to the Retry-After header when the 429 body has no retry_after', async () => {
    const waits: number[] = []
    const { fetcher } = scripted([new Response('', { status: 429, headers: { 'retry-after': '2' } }), Response.json({ ok: true })])
    const rest = createDiscordRest({ fetch: fetcher, baseUrl: 'https://discord.test', token: 't', sleep: async (ms) => void waits.push(ms) })
    await rest.request('GET', '/x')
    expect(waits).toEqual([2_000])
  })

  it('does not wait longer than maxDelayMs and keeps interaction tokens out of errors', async () => {
    const { fetcher } = scripted([Response.json({ message: 'You are being rate limited.', retry_after: 120, global: false }, { status: 429 })])
    const rest = createDiscordRest({ fetch: fetcher, baseUrl: 'https://discord.test', sleep: async () => {} })
    const error = await rest.request('PATCH', '/webhooks/1/very-secret-token/messages/@original', { auth: false, body: {} }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DiscordApiError)
    expect((error as DiscordApiError).status).toBe(429)
    expect((error as Error).message).not.toContain('very-secret-token')
  })

  it('carries Discord error codes', async () => {
    const { fetcher } = scripted([Response.json({ message: 'Unknown interaction', code: 10062 }, { status: 404 })])
    const rest = createDiscordRest({ fetch: fetcher, baseUrl: 'https://discord.test', sleep: async () => {} })
    const error = (await rest.request('POST', '/webhooks/1/t', { auth: false }).catch((caught: unknown) => caught)) as DiscordApiError
    expect([error.status, error.code]).toEqual([404, 10062])
  })
})
