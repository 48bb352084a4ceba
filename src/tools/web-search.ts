import { jsonResult } from './agent-tool.js'
import { readNumber, readString, withTimeout, type BuiltinToolFactory, type ToolServices } from './tool-services.js'

const BRAVE_BASE_URL = 'https://api.search.brave.com'
const PERPLEXITY_DIRECT_URL = 'https://api.perplexity.ai'
const OPENROUTER_URL = 'https://openrouter.ai/api/v1'
const DEFAULT_PERPLEXITY_MODEL = 'perplexity/sonar-pro'
const DOCS = 'https://docs.clawd.bot/tools/web'
const FRESHNESS = /^(pd|pw|pm|py|\d{4}-\d{2}-\d{2}to\d{4}-\d{2}-\d{2})$/

/**
 * `web_search` with Brave or Perplexity (spec/agent-tools.md §3.2): upstream's parameters, result shapes, soft
 * errors (a missing key is a normal result telling the model what to do) and the 100-entry result cache.
 * `BRAVE_BASE_URL` / `PERPLEXITY_BASE_URL` point the calls at a proxy or a test server.
 */
export const createWebSearchTool: BuiltinToolFactory = (services, run) => {
  const settings = run.config.tools?.web?.search ?? {}
  if (settings.enabled === false) return undefined
  const provider = settings.provider === 'perplexity' ? 'perplexity' : 'brave'
  return {
    name: 'web_search',
    label: 'Web Search',
    description:
      provider === 'brave'
        ? 'Search the web (Brave Search). Returns titles, URLs and descriptions; read a page with web_fetch.'
        : 'Search the web (Perplexity). Returns an answer with citations.',
    parameters: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'Search query.' },
        count: { type: 'number', minimum: 1, maximum: 10, description: 'Number of results, 1–10.' },
        country: { type: 'string', description: '2-letter country code such as DE, US, or ALL.' },
        search_lang: { type: 'string', description: 'Language of the results, e.g. en.' },
        ui_lang: { type: 'string', description: 'Language of the interface strings, e.g. en-US.' },
        freshness: { type: 'string', description: 'Brave only: pd, pw, pm, py or YYYY-MM-DDtoYYYY-MM-DD.' },
      },
      required: ['query'],
    },
    async execute(args, context) {
      const query = readString(args, 'query', true)
      const count = Math.min(10, Math.max(1, readNumber(args, 'count', true) ?? settings.maxResults ?? 5))
      const country = readString(args, 'country')
      const searchLang = readString(args, 'search_lang')
      const uiLang = readString(args, 'ui_lang')
      const freshness = readString(args, 'freshness')
      if (freshness && provider !== 'brave') return jsonResult({ error: 'unsupported_freshness', message: 'freshness is only supported by the Brave web_search provider.', docs: DOCS })
      if (freshness && !FRESHNESS.test(freshness)) {
        return jsonResult({ error: 'invalid_freshness', message: 'freshness must be one of pd, pw, pm, py, or a range like YYYY-MM-DDtoYYYY-MM-DD.', docs: DOCS })
      }
      const cacheKey = [provider, query, count, country, searchLang, uiLang, freshness].join('\u0000')
      const cached = services.searchCache.get(cacheKey)
      if (cached) return jsonResult({ ...(cached as object), cached: true })
      const timeout = withTimeout(services, context.signal, (settings.timeoutSeconds ?? 30) * 1_000)
      try {
        const payload =
          provider === 'brave'
            ? await searchBrave(services, settings.apiKey, { query, count, country, searchLang, uiLang, freshness }, timeout.signal)
            : await searchPerplexity(services, settings.perplexity ?? {}, query, timeout.signal)
        if (!('error' in payload)) services.searchCache.set(cacheKey, payload, (settings.cacheTtlMinutes ?? 15) * 60_000)
        return jsonResult(payload)
      } catch (error) {
        if (timeout.signal.aborted && !context.signal.aborted) throw new Error(`web_search timed out after ${settings.timeoutSeconds ?? 30} s`)
        throw error
      } finally {
        timeout.done()
      }
    },
  }
}

interface BraveQuery {
  query: string
  count: number
  country?: string
  searchLang?: string
  uiLang?: string
  freshness?: string
}

async function searchBrave(services: ToolServices, configKey: string | undefined, query: BraveQuery, signal: AbortSignal): Promise<Record<string, unknown>> {
  const apiKey = configKey || services.env.BRAVE_API_KEY
  if (!apiKey) {
    return {
      error: 'missing_brave_api_key',
      message: 'web_search needs a Brave Search API key. Run `clawdbot configure --section web` to store it, or set BRAVE_API_KEY in the Gateway environment.',
      docs: DOCS,
    }
  }
  const url = new URL('/res/v1/web/search', services.env.BRAVE_BASE_URL || BRAVE_BASE_URL)
  url.searchParams.set('q', query.query)
  url.searchParams.set('count', String(query.count))
  if (query.country) url.searchParams.set('country', query.country)
  if (query.searchLang) url.searchParams.set('search_lang', query.searchLang)
  if (query.uiLang) url.searchParams.set('ui_lang', query.uiLang)
  if (query.freshness) url.searchParams.set('freshness', query.freshness)
  const startedAt = services.now()
  const response = await services.fetch(url, { headers: { Accept: 'application/json', 'X-Subscription-Token': apiKey }, signal })
  if (!response.ok) throw new Error(`Brave Search API error (${response.status}): ${(await response.text().catch(() => '')).slice(0, 500) || response.statusText}`)
  const body = (await response.json()) as { web?: { results?: { title?: string; url?: string; description?: string; age?: string }[] } }
  const results = (body.web?.results ?? []).map((item) => ({
    title: item.title ?? '',
    url: item.url ?? '',
    description: item.description ?? '',
    ...(item.age ? { published: item.age } : {}),
    ...(siteName(item.url) ? { siteName: siteName(item.url) } : {}),
  }))
  return { query: query.query, provider: 'brave', count: results.length, tookMs: services.now() - startedAt, results }
}

async function searchPerplexity(
  services: ToolServices,
  settings: { apiKey?: string; baseUrl?: string; model?: string },
  query: string,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const fromEnv = !settings.apiKey && services.env.PERPLEXITY_API_KEY ? 'perplexity' : !settings.apiKey && services.env.OPENROUTER_API_KEY ? 'openrouter' : undefined
  const apiKey = settings.apiKey || services.env.PERPLEXITY_API_KEY || services.env.OPENROUTER_API_KEY
  if (!apiKey) {
    return {
      error: 'missing_perplexity_api_key',
      message: 'web_search (perplexity) needs an API key. Set PERPLEXITY_API_KEY or OPENROUTER_API_KEY in the Gateway environment, or tools.web.search.perplexity.apiKey.',
      docs: DOCS,
    }
  }
  const direct = fromEnv === 'perplexity' || (fromEnv === undefined && apiKey.startsWith('pplx-'))
  const baseUrl = settings.baseUrl || services.env.PERPLEXITY_BASE_URL || (direct ? PERPLEXITY_DIRECT_URL : OPENROUTER_URL)
  const model = settings.model ?? DEFAULT_PERPLEXITY_MODEL
  const startedAt = services.now()
  const response = await services.fetch(`${baseUrl.replace(/\/+$/, '')}/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}`, 'HTTP-Referer': 'https://clawdbot.com', 'X-Title': 'Clawdbot Web Search' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: query }] }),
    signal,
  })
  if (!response.ok) throw new Error(`Perplexity API error (${response.status}): ${(await response.text().catch(() => '')).slice(0, 500) || response.statusText}`)
  const body = (await response.json()) as { choices?: { message?: { content?: string } }[]; citations?: string[] }
  return { query, provider: 'perplexity', model, tookMs: services.now() - startedAt, content: body.choices?.[0]?.message?.content || 'No response', citations: body.citations ?? [] }
}

function siteName(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).hostname : undefined
  } catch {
    return undefined
  }
}
