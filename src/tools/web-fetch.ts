import { jsonResult } from './agent-tool.js'
import { guardedFetch, MAX_BODY_BYTES, readBodyPrefix } from './guarded-fetch.js'
import { htmlToMarkdown, markdownToText } from './html-to-markdown.js'
import { readNumber, readString, withTimeout, type BuiltinToolFactory } from './tool-services.js'

const DEFAULT_MAX_CHARS = 50_000
const DEFAULT_USER_AGENT = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36'
const ERROR_BODY_CHARS = 4_000
const TEXT_TYPES = /^(text\/|application\/(json|xml|xhtml\+xml|javascript|ld\+json|rss\+xml|atom\+xml)|application\/[\w.+-]*\+(json|xml))/i

/**
 * `web_fetch` (spec/agent-tools.md §3.3): one page as readable Markdown or text, through the SSRF guard, with
 * upstream's parameters, result shape and error texts. No Firecrawl fallback (DEVIATION); bodies are capped at
 * 2 MiB and binary content types refused.
 */
export const createWebFetchTool: BuiltinToolFactory = (services, run) => {
  const settings = run.config.tools?.web?.fetch ?? {}
  if (settings.enabled === false) return undefined
  const configMax = settings.maxChars ?? DEFAULT_MAX_CHARS
  return {
    name: 'web_fetch',
    label: 'Web Fetch',
    description: 'Fetch a web page (http/https) and return its readable content as markdown or plain text. Use it to read a result from web_search or a URL the user gave.',
    parameters: {
      type: 'object',
      properties: {
        url: { type: 'string', description: 'The http or https URL to fetch.' },
        extractMode: { type: 'string', enum: ['markdown', 'text'], description: 'markdown (default) or text.' },
        maxChars: { type: 'number', minimum: 100, description: `Most characters to return (default and limit ${configMax}).` },
      },
      required: ['url'],
    },
    async execute(args, context) {
      const url = readString(args, 'url', true)
      const extractMode = args.extractMode === 'text' ? 'text' : 'markdown'
      // DEVIATION: the model's maxChars is capped by the config (upstream lets it ask for more).
      const maxChars = Math.max(100, Math.floor(Math.min(readNumber(args, 'maxChars') ?? configMax, configMax)))
      const cacheKey = `${url}\u0000${extractMode}\u0000${maxChars}`
      const cached = services.fetchCache.get(cacheKey)
      if (cached) return jsonResult({ ...(cached as object), cached: true })

      const startedAt = services.now()
      const timeout = withTimeout(services, context.signal, (settings.timeoutSeconds ?? 30) * 1_000)
      try {
        const { response, finalUrl } = await guardedFetch(url, {
          network: services.network,
          maxRedirects: settings.maxRedirects ?? 3,
          signal: timeout.signal,
          headers: { Accept: '*/*', 'User-Agent': settings.userAgent ?? DEFAULT_USER_AGENT, 'Accept-Language': 'en-US,en;q=0.9' },
        })
        const contentType = response.headers.get('content-type') ?? ''
        const mediaType = contentType.split(';')[0].trim().toLowerCase()
        if (mediaType !== '' && !TEXT_TYPES.test(mediaType)) {
          await response.body?.cancel().catch(() => undefined)
          throw new Error(`Web fetch failed (415): unsupported content type ${mediaType}`)
        }
        const { bytes, truncated: bodyCut } = await readBodyPrefix(response, MAX_BODY_BYTES)
        const raw = new TextDecoder().decode(bytes)
        if (mediaType === '' && raw.includes('\u0000')) throw new Error('Web fetch failed (415): unsupported content type application/octet-stream')
        if (!response.ok) {
          const detail = /html/.test(mediaType) ? htmlToMarkdown(raw).markdown : raw
          throw new Error(`Web fetch failed (${response.status}): ${(detail.trim() || response.statusText).slice(0, ERROR_BODY_CHARS)}`)
        }
        let title: string | undefined
        let text: string
        let extractor: 'readability' | 'json' | 'raw'
        if (/html/.test(mediaType)) {
          // Upstream's wording; Firecrawl is never available here.
          if (settings.readability === false) throw new Error('Web fetch extraction failed: Readability disabled and Firecrawl unavailable.')
          const page = htmlToMarkdown(raw)
          if (!page.markdown) throw new Error('Web fetch extraction failed: Readability and Firecrawl returned no content.')
          title = page.title
          text = extractMode === 'text' ? markdownToText(page.markdown) : page.markdown
          extractor = 'readability'
        } else if (/json/.test(mediaType)) {
          text = reindentJson(raw)
          extractor = 'json'
        } else {
          text = raw
          extractor = 'raw'
        }
        const truncated = text.length > maxChars
        const payload = {
          url,
          finalUrl,
          status: response.status,
          contentType: mediaType || 'text/plain',
          ...(title ? { title } : {}),
          extractMode,
          extractor,
          truncated: truncated || bodyCut,
          length: Math.min(text.length, maxChars),
          fetchedAt: new Date(services.now()).toISOString(),
          tookMs: services.now() - startedAt,
          text: truncated ? text.slice(0, maxChars) : text,
          ...(bodyCut ? { warning: `Response body exceeded ${MAX_BODY_BYTES} bytes; only the first ${MAX_BODY_BYTES} were read.` } : {}),
        }
        services.fetchCache.set(cacheKey, payload, (settings.cacheTtlMinutes ?? 15) * 60_000)
        return jsonResult(payload)
      } catch (error) {
        // The per-request timeout is the tool's own failure; the run's abort is rethrown by the executor.
        if (timeout.signal.aborted && !context.signal.aborted) throw new Error(`Web fetch failed: request timed out after ${settings.timeoutSeconds ?? 30} s`)
        throw error
      } finally {
        timeout.done()
      }
    },
  }
}

function reindentJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}
