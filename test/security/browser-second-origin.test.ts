import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HAS_CHROMIUM, launchChromium } from '../helpers/browser.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startTestGateway } from '../helpers/start-test-gateway.js'
import { openTestClient } from '../helpers/ws-client.js'

/** What a hostile page does: open sockets to the gateway with guessed (and, to be thorough, the real) tokens. */
const ATTACK_PAGE = `<!doctype html><meta charset="utf-8"><title>elsewhere</title><script>
window.attack = async (url, tokens) => {
  const one = (token) => new Promise((resolve) => {
    const outcome = { token, opened: false, messages: [] }
    const socket = new WebSocket(url)
    socket.onopen = () => { outcome.opened = true }
    socket.onmessage = (event) => {
      outcome.messages.push(String(event.data).slice(0, 200))
      socket.send(JSON.stringify({ type: 'req', id: 'c', method: 'connect', params: { minProtocol: 3, maxProtocol: 3, client: { id: 'x', mode: 'webchat' }, auth: { token } } }))
    }
    socket.onclose = (event) => resolve({ ...outcome, code: event.code })
  })
  const results = []
  for (const token of tokens) results.push(await one(token))
  return results
}
</script>`

describe.skipIf(!HAS_CHROMIUM)('a page on a second origin in Chromium (skipped: /usr/bin/chromium is not installed)', { timeout: 60_000 }, () => {
  let browser: Browser
  let gateway: Awaited<ReturnType<typeof startTestGateway>>
  let attacker: Server
  let attackerOrigin: string

  beforeAll(async () => {
    gateway = await startTestGateway({ control: { failedAuthLimits: { maxFailures: 3, windowMs: 60_000 } } })
    attacker = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' })
      response.end(ATTACK_PAGE)
    })
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve))
    // localhost vs 127.0.0.1 and another port: a different origin on the same machine, as in the report.
    attackerOrigin = `http://localhost:${(attacker.address() as AddressInfo).port}`
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise<void>((resolve) => attacker?.close(() => resolve()))
    await gateway?.close()
  })

  it('cannot talk to the control socket and cannot lock the owner out', async () => {
    const page = await browser.newPage()
    await page.goto(`${attackerOrigin}/`)
    const tokens = [...Array.from({ length: 11 }, (_, index) => `guess-${index}`), TEST_TOKEN]
    const results = await page.evaluate(([url, list]) => (window as unknown as { attack: (u: string, t: string[]) => Promise<unknown[]> }).attack(url, list), [gateway.url, tokens] as const)
    expect(results).toHaveLength(12)
    for (const result of results as { opened: boolean; messages: string[]; code: number }[]) {
      // Refused at the upgrade: the socket never opens, no challenge, no hello, not even with the right token.
      expect(result.opened).toBe(false)
      expect(result.messages).toEqual([])
      expect(result.code).toBe(1006)
    }
    await page.close()

    // The owner, from the gateway's own origin (the served Control UI) and from a CLI, is not locked out.
    const ownPage = await browser.newPage()
    await ownPage.goto(`${gateway.httpUrl}/health`)
    const ownOrigin = await ownPage.evaluate((url) => new Promise<string>((resolve) => {
      const socket = new WebSocket(url)
      socket.onmessage = (event) => {
        const frame = JSON.parse(String(event.data))
        if (frame.event === 'connect.challenge') {
          socket.send(JSON.stringify({ type: 'req', id: 'c', method: 'connect', params: { minProtocol: 3, maxProtocol: 3, client: { id: 'moltbot-control-ui', mode: 'webchat' }, auth: { token: 'test-gateway-token' } } }))
        } else if (frame.type === 'res') {
          resolve(frame.ok ? 'hello-ok' : frame.error.message)
          socket.close()
        }
      }
      socket.onclose = (event) => resolve(`closed ${event.code}`)
    }), gateway.url)
    expect(ownOrigin).toBe('hello-ok')
    await ownPage.close()
    const cli = await openTestClient(gateway.url, { token: TEST_TOKEN })
    expect((await cli.connect()).ok).toBe(true)
    cli.close()
  })
})
