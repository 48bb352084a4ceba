import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeNetworkAccess } from '../../src/runtime/node/node-network-access.js'
import type { NetworkAccess } from '../../src/tools/network-access.js'
import { createWebFetchTool } from '../../src/tools/web-fetch.js'
import { toolHarness } from './tool-harness.js'

const ARTICLE = `<!doctype html><html><head><title>Trip &amp; Notes</title><script>steal()</script></head><body>
<nav>Home | About</nav><article><h1>Oslo in winter</h1><p>Pack <strong>warm</strong> clothes and see the
<a href="https://example.org/fjords">fjords</a>.</p><ul><li>Trams run late</li><li>Museums close at 17:00</li></ul>
<p>${'Long paragraph about the city. '.repeat(20)}</p></article><footer>© 2026</footer></body></html>`

let server: ReturnType<typeof createServer>
let port: number
const seen: { path: string; headers: IncomingMessage['headers'] }[] = []

const routes: Record<string, (response: ServerResponse) => void> = {
  '/article': (response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE),
  '/data.json': (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1,"b":[1,2]}'),
  '/plain': (response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(5_000)),
  '/image.png': (response) => response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0])),
  '/huge': (response) => {
    response.writeHead(200, { 'content-type': 'text/plain' })
    const piece = 'y'.repeat(64 * 1024)
    for (let index = 0; index < 48; index++) response.write(piece)
    response.end()
  },
  '/missing': (response) => response.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><h1>Not here</h1></body></html>'),
  '/to-article': (response) => response.writeHead(302, { location: '/article' }).end(),
  '/to-private': (response) => response.writeHead(301, { location: 'http://10.0.0.7/admin' }).end(),
  '/to-metadata': (response) => response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
  '/to-internal-name': (response) => response.writeHead(307, { location: 'http://intranet.example/' }).end(),
  '/loop-a': (response) => response.writeHead(302, { location: '/loop-b' }).end(),
  '/loop-b': (response) => response.writeHead(302, { location: '/loop-a' }).end(),
  '/chain-1': (response) => response.writeHead(302, { location: '/chain-2' }).end(),
  '/chain-2': (response) => response.writeHead(302, { location: '/chain-3' }).end(),
  '/chain-3': (response) => response.writeHead(302, { location: '/article' }).end(),
  '/no-location': (response) => response.writeHead(302).end(),
}

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ path: request.url ?? '', headers: request.headers })
    const route = routes[(request.url ?? '').split('?')[0]]
    if (route) route(response)
    else response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

/**
 * The default policy with a fake resolver: public-looking names resolve to a public address (or, for
 * `intranet.example`, a private one), and the connector sends every request to the local server, recording the
 * pinned address it was given.
 */
function routedNetwork(connections: (string | undefined)[]): NetworkAccess {
  const dns: Record<string, string[]> = { 'news.example': ['93.184.216.34'], 'intranet.example': ['93.184.216.35', '192.168.1.20'], 'v6.example': ['::ffff:127.0.0.1'] }
  const node = createNodeNetworkAccess()
  return {
    resolve: async (host) => dns[host] ?? [],
    request: (url, init, address) => {
      connections.push(address)
      const local = new URL(url.pathname + url.search, `http://127.0.0.1:${port}`)
      return node.request(local, init, '127.0.0.1')
    },
  }
}

describe('web_fetch through the default guard', () => {
  it('extracts readable markdown from HTML and connects to the checked address', async () => {
    const connections: (string | undefined)[] = []
    const { call } = await toolHarness(createWebFetchTool, { network: routedNetwork(connections) })
    const { details } = await call({ url: 'https://news.example/article' })
    expect(details).toMatchObject({ url: 'https://news.example/article', finalUrl: 'https://news.example/article', status: 200, contentType: 'text/html', title: 'Trip & Notes', extractMode: 'markdown', extractor: 'readability', truncated: false })
    expect(details.text).toContain('# Oslo in winter')
    expect(details.text).toContain('Pack **warm** clothes and see the [fjords](https://example.org/fjords).')
    expect(details.text).toContain('- Trams run late')
    expect(details.text).not.toMatch(/steal|Home \| About|© 2026/)
    expect(connections).toEqual(['93.184.216.34'])
    const request = seen.at(-1)!
    expect(request.headers['user-agent']).toContain('Chrome/122')
    expect(request.headers['accept-language']).toBe('en-US,en;q=0.9')
    expect(request.headers.authorization).toBeUndefined()
    expect(request.headers.cookie).toBeUndefined()
  })

  it('returns text mode, JSON re-indented, and caps maxChars at the config value', async () => {
    const { call } = await toolHarness(createWebFetchTool, { network: routedNetwork([]), config: { tools: { web: { fetch: { maxChars: 1000 } } } } })
    expect((await call({ url: 'https://news.example/article', extractMode: 'text' })).details.text).toContain('Pack warm clothes and see the fjords.')
    const json = await call({ url: 'https://news.example/data.json' })
    expect(json.details).toMatchObject({ extractor: 'json', text: '{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}' })
    const plain = await call({ url: 'https://news.example/plain', maxChars: 999_999 })
    expect(plain.details).toMatchObject({ extractor: 'raw', truncated: true, length: 1000 })
    expect(plain.details.text).toHaveLength(1000)
    const again = await call({ url: 'https://news.example/plain', maxChars: 999_999 })
    expect(again.details.cached).toBe(true)
  })

  it('follows redirects, re-checking every hop', async () => {
    const connections: (string | undefined)[] = []
    const { call } = await toolHarness(createWebFetchTool, { network: routedNetwork(connections) })
    expect((await call({ url: 'https://news.example/to-article' })).details).toMatchObject({ finalUrl: 'https://news.example/article', status: 200 })
    expect((await call({ url: 'https://news.example/to-private' })).details).toEqual({ status: 'error', tool: 'web_fetch', error: 'Blocked: private/internal IP address' })
    expect((await call({ url: 'https://news.example/to-metadata' })).details.error).toBe('Blocked: private/internal IP address')
    expect((await call({ url: 'https://news.example/to-internal-name' })).details.error).toBe('Blocked: resolves to private/internal IP address')
    expect((await call({ url: 'https://news.example/loop-a' })).details.error).toBe('Redirect loop detected')
    expect((await call({ url: 'https://news.example/chain-1' })).details.finalUrl).toBe('https://news.example/article')
    const strict = await toolHarness(createWebFetchTool, { network: routedNetwork([]), config: { tools: { web: { fetch: { maxRedirects: 2 } } } } })
    expect((await strict.call({ url: 'https://news.example/chain-1' })).details.error).toBe('Too many redirects (limit: 2)')
    expect((await call({ url: 'https://news.example/no-location' })).details.error).toBe('Redirect missing location header (302)')
  })

  it('blocks names, literal and mapped IPs, DNS answers and ports before connecting', async () => {
    const connections: (string | undefined)[] = []
    const { call } = await toolHarness(createWebFetchTool, { network: routedNetwork(connections) })
    const errors = []
    for (const url of ['http://localhost/', 'http://127.0.0.1/', 'http://[::ffff:127.0.0.1]/', 'http://intranet.example/', 'http://v6.example/', 'http://news.example:8080/', 'http://nowhere.example/', 'ftp://news.example/', 'http://a:b@news.example/']) {
      errors.push((await call({ url })).details.error)
    }
    expect(errors).toEqual([
      'Blocked hostname: localhost',
      'Blocked: private/internal IP address',
      'Blocked: private/internal IP address',
      'Blocked: resolves to private/internal IP address',
      'Blocked: resolves to private/internal IP address',
      'Blocked: port 8080 is not allowed (only 80 and 443)',
      'Unable to resolve hostname: nowhere.example',
      'Invalid URL: must be http or https',
      'Invalid URL: must be http or https',
    ])
    expect(connections).toEqual([])
  })

  it('refuses binary content, reports HTTP errors as text and reads at most 2 MiB', async () => {
    const { call } = await toolHarness(createWebFetchTool, { network: routedNetwork([]), config: { tools: { web: { fetch: { maxChars: 50_000 } } } } })
    expect((await call({ url: 'https://news.example/image.png' })).details.error).toBe('Web fetch failed (415): unsupported content type image/png')
    expect((await call({ url: 'https://news.example/missing' })).details.error).toBe('Web fetch failed (404): # Not here')
    const huge = await call({ url: 'https://news.example/huge' })
    expect(huge.details).toMatchObject({ truncated: true, length: 50_000, warning: expect.stringContaining('2097152') })
  })
})

describe('web_fetch with the test-only policy against a local server', () => {
  it('reaches 127.0.0.1 on any port through the real Node network access', async () => {
    const network = { ...createNodeNetworkAccess(), testPolicy: { allowPrivateAddresses: true, allowAnyPort: true } }
    const { call } = await toolHarness(createWebFetchTool, { network })
    const { details } = await call({ url: `http://localhost:${port}/article` })
    expect(details).toMatchObject({ status: 200, title: 'Trip & Notes' })
  })

  it('connects to the pinned address without resolving the name again', async () => {
    const response = await createNodeNetworkAccess().request(new URL(`http://pinned-name.invalid:${port}/data.json`), { method: 'GET', headers: {}, signal: new AbortController().signal }, '127.0.0.1')
    expect(await response.json()).toEqual({ a: 1, b: [1, 2] })
    expect(seen.at(-1)!.headers.host).toBe(`pinned-name.invalid:${port}`)
  })

  it('keeps upstream\'s error when readability is turned off', async () => {
    const network = { ...createNodeNetworkAccess(), testPolicy: { allowPrivateAddresses: true, allowAnyPort: true } }
    const { call } = await toolHarness(createWebFetchTool, { network, config: { tools: { web: { fetch: { readability: false } } } } })
    expect((await call({ url: `http://localhost:${port}/article` })).details.error).toBe('Web fetch extraction failed: Readability disabled and Firecrawl unavailable.')
    expect((await call({ url: `http://localhost:${port}/data.json` })).details.extractor).toBe('json')
  })

  it('is not offered when tools.web.fetch.enabled is false', async () => {
    const { tool } = await toolHarness(createWebFetchTool, { config: { tools: { web: { fetch: { enabled: false } } } } })
    expect(tool).toBeUndefined()
  })
})

describe('createGuardedFetch (for clients that take a fetch, such as MCP transports)', () => {
  it('applies the same checks and pins the address, passing methods and bodies through', async () => {
    const { createGuardedFetch } = await import('../../src/tools/guarded-fetch.js')
    const connections: (string | undefined)[] = []
    const guarded = createGuardedFetch(routedNetwork(connections))
    await expect(guarded('http://169.254.169.254/latest/meta-data/')).rejects.toThrow('Blocked: private/internal IP address')
    await expect(guarded('http://intranet.example/mcp', { method: 'POST', body: '{}' })).rejects.toThrow('Blocked: resolves to private/internal IP address')
    const response = await guarded('https://news.example/data.json', { method: 'POST', body: '{"jsonrpc":"2.0"}', headers: { 'content-type': 'application/json' } })
    expect(response.status).toBe(200)
    expect(connections).toEqual(['93.184.216.34'])
    expect(seen.at(-1)!.headers['content-type']).toBe('application/json')
    // A host the operator allow-listed may be private and on any port; others are still checked.
    const trusting = createGuardedFetch(routedNetwork(connections), { allowedHosts: ['intranet.example'] })
    expect((await trusting('http://intranet.example:8080/data.json')).status).toBe(200)
    await expect(trusting('http://10.0.0.9/')).rejects.toThrow('Blocked: private/internal IP address')
    await expect(trusting('file://intranet.example/etc/passwd')).rejects.toThrow('Invalid URL: must be http or https')
  })
})
