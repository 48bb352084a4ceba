import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the fake search server received. */
export interface SearchRequest {
  method: string
  url: string
  headers: Record<string, string | string[] | undefined>
  body: string
}

/**
 * A local fake of the Brave Search API (`GET /res/v1/web/search`, real response shape; token `bad` gets a 401) and
 * of Perplexity's chat completions (`POST /chat/completions` with `citations`), on 127.0.0.1 port 0. Point
 * `BRAVE_BASE_URL` / `PERPLEXITY_BASE_URL` at `url`.
 */
export async function startFakeSearch(options: { braveResults?: unknown[]; perplexityAnswer?: string } = {}) {
  const requests: SearchRequest[] = []
  const results = options.braveResults ?? [
    { title: 'Oslo weather', url: 'https://weather.example/oslo', description: 'Cold.', age: '2 hours ago' },
    { title: 'Yr', url: 'https://yr.no/', description: 'Forecast' },
  ]
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body })
      if (request.method === 'GET' && request.url?.startsWith('/res/v1/web/search')) {
        if (request.headers['x-subscription-token'] === 'bad') {
          response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid token"}')
          return
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'search', web: { type: 'search', results } }))
      } else if (request.method === 'POST' && request.url === '/chat/completions') {
        const answer = { id: 'pplx-1', model: 'sonar-pro', choices: [{ index: 0, message: { role: 'assistant', content: options.perplexityAnswer ?? 'It is cold.' } }], citations: ['https://yr.no/'] }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
      } else {
        response.writeHead(404).end()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
