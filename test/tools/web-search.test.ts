import { afterEach, describe, expect, it } from 'vitest'
import { startFakeSearch } from '../helpers/fake-search-server.js'
import { createWebSearchTool } from '../../src/tools/web-search.js'
import { toolHarness } from './tool-harness.js'

let fake: Awaited<ReturnType<typeof startFakeSearch>> | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function startSearchServer() {
  fake = await startFakeSearch()
  return fake
}

describe('web_search', () => {
  it('queries Brave with upstream parameters and result shape, then serves a repeat from the cache', async () => {
    const fake = await startSearchServer()
    const { call } = await toolHarness(createWebSearchTool, { env: { BRAVE_API_KEY: 'brave-key', BRAVE_BASE_URL: fake.url } })
    const { details } = await call({ query: 'oslo weather', count: '3', country: 'NO', freshness: 'pd' })
    expect(details).toMatchObject({
      query: 'oslo weather',
      provider: 'brave',
      count: 2,
      results: [
        { title: 'Oslo weather', url: 'https://weather.example/oslo', description: 'Cold.', published: '2 hours ago', siteName: 'weather.example' },
        { title: 'Yr', url: 'https://yr.no/', description: 'Forecast', siteName: 'yr.no' },
      ],
    })
    const sent = new URL(fake.requests[0].url, fake.url)
    expect(Object.fromEntries(sent.searchParams)).toEqual({ q: 'oslo weather', count: '3', country: 'NO', freshness: 'pd' })
    expect(fake.requests[0].headers['x-subscription-token']).toBe('brave-key')
    expect((await call({ query: 'OSLO WEATHER', count: 3, country: 'NO', freshness: 'pd' })).details.cached).toBe(true)
    expect(fake.requests).toHaveLength(1)
  })

  it('returns soft errors for a missing key and bad freshness, hard errors for API failures', async () => {
    const fake = await startSearchServer()
    const keyless = await toolHarness(createWebSearchTool, { env: { BRAVE_BASE_URL: fake.url } })
    expect((await keyless.call({ query: 'x' })).details).toMatchObject({ error: 'missing_brave_api_key', message: expect.stringContaining('set BRAVE_API_KEY in the Gateway environment') })
    expect((await keyless.call({ query: 'x', freshness: 'yesterday' })).details.error).toBe('invalid_freshness')
    const bad = await toolHarness(createWebSearchTool, { config: { tools: { web: { search: { apiKey: 'bad' } } } }, env: { BRAVE_BASE_URL: fake.url } })
    expect((await bad.call({ query: 'x' })).details).toEqual({ status: 'error', tool: 'web_search', error: 'Brave Search API error (401): {"error":"invalid token"}' })
    expect((await bad.call({})).text).toContain("must have required property 'query'")
  })

  it('asks Perplexity with its headers and model when configured', async () => {
    const fake = await startSearchServer()
    const { call } = await toolHarness(createWebSearchTool, {
      config: { tools: { web: { search: { provider: 'perplexity' } } } },
      env: { PERPLEXITY_API_KEY: 'pplx-key', PERPLEXITY_BASE_URL: fake.url },
    })
    const { details } = await call({ query: 'weather in oslo' })
    expect(details).toMatchObject({ provider: 'perplexity', model: 'perplexity/sonar-pro', content: 'It is cold.', citations: ['https://yr.no/'] })
    const request = fake.requests[0]
    expect(request.headers.authorization).toBe('Bearer pplx-key')
    expect(request.headers['x-title']).toBe('Clawdbot Web Search')
    expect(JSON.parse(request.body)).toEqual({ model: 'perplexity/sonar-pro', messages: [{ role: 'user', content: 'weather in oslo' }] })
    expect((await call({ query: 'x', freshness: 'pd' })).details.error).toBe('unsupported_freshness')
    const keyless = await toolHarness(createWebSearchTool, { config: { tools: { web: { search: { provider: 'perplexity' } } } } })
    expect((await keyless.call({ query: 'x' })).details.error).toBe('missing_perplexity_api_key')
  })
})

