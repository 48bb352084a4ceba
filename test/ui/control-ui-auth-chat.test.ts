import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HAS_CHROMIUM, saveScreenshot } from '../helpers/browser.js'
import { anthropicReply, gate } from '../helpers/fake-anthropic-server.js'
import { TEST_TOKEN } from '../helpers/make-test-deps.js'
import { startUiFixture, type UiFixture } from './ui-fixture.js'

describe.skipIf(!HAS_CHROMIUM)('Control UI in Chromium: sign-in and chat (skipped: /usr/bin/chromium is not installed)', { timeout: 30_000 }, () => {
  let ui: UiFixture
  beforeAll(async () => {
    ui = await startUiFixture()
  }, 30_000)
  afterAll(async () => {
    await ui?.close()
  })

  it('signs in with ?token=, stores it and strips it from the address bar', async () => {
    const { page, problems } = await ui.open(`/?token=${TEST_TOKEN}`)
    await page.locator('.connection.connected').waitFor()
    await page.locator('#chat-input:enabled').waitFor()
    expect(new URL(page.url()).searchParams.has('token')).toBe(false)
    const stored = await page.evaluate(() => localStorage.getItem('clawdbot-edge.control.v1'))
    expect(JSON.parse(stored ?? '{}').token).toBe(TEST_TOKEN)
    // The token is remembered: a reload connects without it in the URL.
    await page.reload()
    await page.locator('.connection.connected').waitFor()
    await saveScreenshot(page, 'chat-empty')
    expect(problems).toEqual([])
  })

  it('says plainly when the token is wrong, then accepts the right one from the form', async () => {
    const { page } = await ui.open('/?token=not-the-token')
    const message = page.locator('#login-message')
    await message.getByText('Wrong token').waitFor()
    expect(await message.textContent()).toMatch(/rejected/)
    expect(await page.locator('.connection').textContent()).toMatch(/Not signed in/)
    await saveScreenshot(page, 'login-wrong-token')
    await page.getByLabel('Gateway token', { exact: true }).fill(TEST_TOKEN)
    await page.getByRole('button', { name: 'Connect' }).click()
    await page.locator('#chat-input:enabled').waitFor()
    expect(await page.locator('.login').isHidden()).toBe(true)
  })

  it('asks for a token without calling it wrong when none was given', async () => {
    const { page } = await ui.open('/')
    await page.locator('#login-message').getByText('needs a token').waitFor()
    expect(await page.locator('#login-message').textContent()).not.toMatch(/Wrong token/)
  })

  it('streams a reply as Markdown, shows Stop while busy, and keeps it after a reload', async () => {
    const hold = gate()
    ui.anthropic.script(anthropicReply(['Here is **bold** and `code`.', hold, '\n\n```js\nconsole.log("hi")\n```\n\n<img src=x onerror=alert(1)> [site](https://example.com) [bad](javascript:alert(1))']))
    const { page, problems } = await ui.signedIn()
    const input = page.locator('#chat-input')
    await input.fill('Hello there')
    await input.press('Enter')
    const streaming = page.locator('.message.streaming')
    await streaming.getByText('bold').waitFor()
    expect(await streaming.locator('strong').textContent()).toBe('bold')
    await page.getByRole('button', { name: 'Stop' }).waitFor()
    await saveScreenshot(page, 'chat-streaming')
    hold.open()
    const reply = page.locator('.thread-list .message.assistant').last()
    await reply.locator('.code-block').waitFor()
    await page.getByRole('button', { name: 'Send message' }).waitFor()
    expect(await reply.locator('.code-block code').textContent()).toBe('console.log("hi")')
    expect(await reply.getByRole('button', { name: 'Copy' }).count()).toBe(1)
    // Raw HTML stays text and only http(s) links become links.
    expect(await reply.locator('img').count()).toBe(0)
    expect(await reply.textContent()).toContain('<img src=x onerror=alert(1)>')
    expect(await reply.locator('a').evaluateAll((links) => links.map((link) => [link.getAttribute('href'), link.getAttribute('rel')]))).toEqual([['https://example.com', 'noopener noreferrer']])
    expect(await page.locator('.thread-list .message.user').last().textContent()).toContain('Hello there')
    await saveScreenshot(page, 'chat-reply')
    await page.reload()
    await page.locator('.thread-list .message.assistant .code-block').waitFor()
    expect(problems).toEqual([])
  })

  it('Shift+Enter adds a line instead of sending', async () => {
    const { page } = await ui.signedIn()
    const input = page.locator('#chat-input')
    await input.fill('line one')
    await input.press('Shift+Enter')
    await input.pressSequentially('line two')
    expect(await input.inputValue()).toBe('line one\nline two')
    await input.fill('')
  })

  it('stops a streaming reply with the Stop button', async () => {
    const hold = gate()
    ui.anthropic.script(anthropicReply(['A long answer that', hold, ' never finishes']))
    const { page } = await ui.signedIn()
    await page.locator('#chat-input').fill('Tell me everything')
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.locator('.message.streaming').getByText('A long answer that').waitFor()
    await page.getByRole('button', { name: 'Stop' }).click()
    await page.locator('.chat-note').getByText('Stopped.').waitFor()
    await page.getByRole('button', { name: 'Send message' }).waitFor()
    expect(await page.locator('.message.streaming').count()).toBe(0)
    await saveScreenshot(page, 'chat-stopped')
    hold.open()
  })

  it('shows a failed run as an inline error', async () => {
    ui.anthropic.script({ status: 400, headers: { 'content-type': 'application/json' }, body: [JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long' } })] })
    const { page } = await ui.signedIn()
    await page.locator('#chat-input').fill('This will fail')
    await page.locator('#chat-input').press('Enter')
    await page.locator('.chat-error').waitFor()
    expect(await page.locator('.chat-error').textContent()).toMatch(/Error/)
    await page.getByRole('button', { name: 'Send message' }).waitFor()
  })

  it('starts a new session with the New session button', async () => {
    ui.anthropic.script(anthropicReply(['Fresh start, how can I help?']))
    const { page } = await ui.signedIn()
    await page.locator('.thread-list .message').first().waitFor()
    const rpc = await ui.rpc()
    const before = (await rpc.request('chat.history', { sessionKey: 'agent:main:main' })).payload.sessionId
    await page.getByRole('button', { name: 'New session' }).click()
    await page.locator('.thread-list .message.assistant').getByText('Fresh start, how can I help?').waitFor()
    // The old conversation is gone from the thread; only the greeting turn of the new session is shown.
    expect(await page.locator('.thread-list').textContent()).not.toContain('Hello there')
    const after = await rpc.request('chat.history', { sessionKey: 'agent:main:main' })
    expect(after.payload.sessionId).not.toBe(before)
    rpc.close()
  })

  it('attaches a pasted image and sends it with the message', async () => {
    ui.anthropic.script(anthropicReply(['Nice picture.']))
    const { page } = await ui.signedIn()
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='
    await page.locator('input[type=file]').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') })
    await page.locator('.attachment img').waitFor()
    await page.locator('#chat-input').fill('What is this?')
    await page.locator('#chat-input').press('Enter')
    await page.locator('.thread-list .message.assistant').getByText('Nice picture.').waitFor()
    const request = ui.anthropic.requests.at(-1)!.body
    const content = request.messages.at(-1).content
    expect(content).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'image', source: expect.objectContaining({ media_type: 'image/png', data: png }) })]))
  })

  it('fits a phone-sized screen', async () => {
    const { page } = await ui.signedIn('/', { width: 375, height: 740 })
    await page.locator('.thread-list .message').first().waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    expect(await page.locator('#chat-input').isVisible()).toBe(true)
    await saveScreenshot(page, 'chat-phone')
  })
})
