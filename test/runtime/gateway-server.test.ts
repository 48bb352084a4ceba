import { describe, it, expect } from 'vitest'
import { Hono } from 'hono'
import { GatewayServer } from '../../src/runtime/node/gateway-server.js'
import { resolveBind } from '../../src/gateway/resolve-bind.js'
import { makeTestDeps } from '../helpers/make-test-deps.js'

function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((done) => (resolve = done))
  return { promise, resolve }
}

describe('GatewayServer', () => {
  it('drains: stops accepting, lets an open request and background work finish', async () => {
    const { deps } = await makeTestDeps()
    const server = new GatewayServer(deps.state, deps.logger)
    const entered = deferred()
    const release = deferred()
    const backgroundDone = deferred()
    const app = new Hono()
    app.get('/slow', async (c) => {
      entered.resolve()
      await release.promise
      return c.text('finished')
    })
    app.get('/later', (c) => {
      c.executionCtx.waitUntil(backgroundDone.promise)
      return c.text('queued')
    })
    server.setApp(app)
    const port = await server.listen(resolveBind('loopback', undefined), 0)
    expect(deps.state.listening[0]).toBe(`127.0.0.1:${port}`)

    expect(await (await fetch(`http://127.0.0.1:${port}/later`)).text()).toBe('queued')
    const slow = fetch(`http://127.0.0.1:${port}/slow`, { headers: { connection: 'close' } })
    await entered.promise
    let drained = false
    const draining = server.drain().then(() => (drained = true))

    await expect(fetch(`http://127.0.0.1:${port}/later`)).rejects.toThrow()
    release.resolve()
    expect(await (await slow).text()).toBe('finished')
    expect(drained).toBe(false)
    backgroundDone.resolve()
    await draining
    expect(drained).toBe(true)
  })

  it('restarts on another port and stops answering on the old one', async () => {
    const { deps } = await makeTestDeps()
    const server = new GatewayServer(deps.state, deps.logger)
    const app = new Hono()
    app.get('/ping', (c) => c.text('pong'))
    server.setApp(app)
    const first = await server.listen(resolveBind('loopback', undefined), 0)
    const second = await server.restart(resolveBind('loopback', undefined), 0)
    expect(second).not.toBe(first)
    expect(deps.state.phase).toBe('ready')
    expect(await (await fetch(`http://127.0.0.1:${second}/ping`)).text()).toBe('pong')
    await expect(fetch(`http://127.0.0.1:${first}/ping`)).rejects.toThrow()
    await server.drain()
  })
})
